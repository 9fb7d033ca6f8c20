using System.Text.RegularExpressions;

namespace Webhooks.Tests.Deployment;

/// <summary>The README is the front door to the pages under docs/: every relative link in them reaches a file (and a heading, when it names one).</summary>
public sealed partial class DocumentationLinkTests
{
    private static List<string> Pages() =>
        new[] { "README.md" }
            .Concat(Directory.EnumerateFiles(InfraFiles.Full("docs"), "*.md").Select(f => Path.GetRelativePath(InfraFiles.Root, f).Replace('\\', '/')).Order(StringComparer.Ordinal))
            .ToList();

    [Fact]
    public void DocumentationLinksResolve()
    {
        var checkedLinks = 0;
        var broken = new List<string>();
        foreach (var page in Pages())
        {
            foreach (var link in RelativeLinks(page))
            {
                checkedLinks++;
                var (path, anchor) = link.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? (link[..hash], link[(hash + 1)..]) : (link, "");
                var target = path.Length == 0 ? InfraFiles.Full(page) : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(InfraFiles.Full(page))!, Uri.UnescapeDataString(path)));
                if (!File.Exists(target) && !Directory.Exists(target))
                {
                    broken.Add($"{page}: {link} (no such file)");
                }
                else if (anchor.Length > 0 && !(target.EndsWith(".md", StringComparison.Ordinal) && HeadingAnchors(target).Contains(anchor)))
                {
                    broken.Add($"{page}: {link} (no such heading)");
                }
            }
        }

        Assert.True(checkedLinks > 0, "No relative link was found: the link reader is broken.");
        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void TheReadmeLinksEveryDocumentationPageAndEachPageLinksBack()
    {
        var fromReadme = RelativeLinks("README.md").Select(l => l.Split('#')[0]).ToHashSet(StringComparer.Ordinal);
        var pages = Pages().Skip(1).ToList();

        Assert.NotEmpty(pages);
        foreach (var page in pages)
        {
            Assert.True(fromReadme.Contains(page), $"The README does not link {page}.");
            Assert.Contains("../README.md", RelativeLinks(page));
        }
    }

    /// <summary>The targets of a page's Markdown links that are not absolute URLs, outside code blocks and code spans.</summary>
    private static List<string> RelativeLinks(string page) =>
        Link().Matches(string.Join('\n', Prose(InfraFiles.Full(page)).Select(line => CodeSpan().Replace(line, ""))))
            .Select(m => m.Groups["target"].Value)
            .Where(t => !UriScheme().IsMatch(t))
            .ToList();

    /// <summary>A page's lines with those of fenced code blocks blanked, so a shell comment is neither a heading nor a link.</summary>
    private static IEnumerable<string> Prose(string file)
    {
        var inFence = false;
        foreach (var line in File.ReadAllLines(file))
        {
            var fence = line.TrimStart().StartsWith("```", StringComparison.Ordinal);
            inFence ^= fence;
            yield return inFence || fence ? "" : line;
        }
    }

    /// <summary>The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered.</summary>
    private static HashSet<string> HeadingAnchors(string file)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(string.Join('\n', Prose(file))))
        {
            var slug = AnchorPunctuation().Replace(heading.Groups["text"].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-');
            var anchor = slug;
            for (var n = 1; !anchors.Add(anchor); n++)
            {
                anchor = $"{slug}-{n}";
            }
        }
        return anchors;
    }

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex("`[^`\n]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex("^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase)]
    private static partial Regex UriScheme();

    [GeneratedRegex(@"^#{1,6} (?<text>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{Nd} _-]")]
    private static partial Regex AnchorPunctuation();
}
