namespace Webhooks.Model;

/// <summary>
/// Which projects' events a webhook receives: all of them, only an include list, or all but an
/// exclude list. Names are compared case-insensitively after trimming, as customers type them.
/// </summary>
public sealed record ProjectFilter
{
    private ProjectFilter(ProjectFilterMode mode, IReadOnlyList<string> projects)
    {
        Mode = mode;
        Projects = projects;
    }

    public static ProjectFilter AllProjects { get; } = new(ProjectFilterMode.All, []);

    public ProjectFilterMode Mode { get; }

    /// <summary>The trimmed names, de-duplicated ignoring case, in the order first given.</summary>
    public IReadOnlyList<string> Projects { get; }

    public static ProjectFilter Include(IEnumerable<string> projects) => Create(ProjectFilterMode.Include, projects);

    public static ProjectFilter Exclude(IEnumerable<string> projects) => Create(ProjectFilterMode.Exclude, projects);

    private static ProjectFilter Create(ProjectFilterMode mode, IEnumerable<string> projects)
    {
        var names = projects.Select(Normalize).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        return names.Length == 0 ? AllProjects : new ProjectFilter(mode, names);
    }

    /// <summary>Whether an event from <paramref name="project"/> (null when it has none) passes.</summary>
    public bool Admits(string? project)
    {
        if (Mode == ProjectFilterMode.All)
        {
            return true;
        }
        var listed = project is not null && Projects.Contains(Normalize(project), StringComparer.OrdinalIgnoreCase);
        return Mode == ProjectFilterMode.Include ? listed : !listed;
    }

    public static string Normalize(string project) => project.Trim();

    public bool Equals(ProjectFilter? other) =>
        other is not null && Mode == other.Mode && Projects.SequenceEqual(other.Projects, StringComparer.OrdinalIgnoreCase);

    public override int GetHashCode() => HashCode.Combine(Mode, Projects.Count);
}

/// <summary>How a <see cref="ProjectFilter"/> reads its list.</summary>
public enum ProjectFilterMode
{
    All,
    Include,
    Exclude,
}
