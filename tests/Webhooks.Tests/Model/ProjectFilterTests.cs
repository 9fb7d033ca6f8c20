using Webhooks.Model;

namespace Webhooks.Tests.Model;

public sealed class ProjectFilterTests
{
    [Theory]
    [InlineData("my-app")]
    [InlineData("MY-APP  ")]
    [InlineData("My-App")]
    [InlineData("\tmy-APP\t")]
    public void IncludeListIgnoresCaseAndSurroundingSpace(string project)
    {
        var filter = ProjectFilter.Include([" My-App "]);

        Assert.True(filter.Admits(project));
    }

    [Theory]
    [InlineData("other")]
    [InlineData("my-app-2")]
    [InlineData("my")]
    [InlineData("")]
    public void IncludeListRefusesProjectsThatAreNotListed(string project)
    {
        var filter = ProjectFilter.Include(["my-app", "billing"]);

        Assert.False(filter.Admits(project));
    }

    [Fact]
    public void IncludeListAdmitsEveryListedProject()
    {
        var filter = ProjectFilter.Include(["my-app", "billing"]);

        Assert.True(filter.Admits("my-app"));
        Assert.True(filter.Admits("billing"));
        Assert.Equal(ProjectFilterMode.Include, filter.Mode);
    }

    [Fact]
    public void IncludeListDoesNotAdmitAnEventWithoutAProject()
    {
        var filter = ProjectFilter.Include(["my-app"]);

        Assert.False(filter.Admits(null));
    }

    [Theory]
    [InlineData("other")]
    [InlineData("my-app-2")]
    [InlineData("")]
    public void ExcludeListAdmitsProjectsThatAreNotListed(string project)
    {
        var filter = ProjectFilter.Exclude(["my-app"]);

        Assert.True(filter.Admits(project));
    }

    [Theory]
    [InlineData("my-app")]
    [InlineData(" MY-APP ")]
    [InlineData("My-App")]
    public void ExcludeListRefusesListedProjectsIgnoringCaseAndSurroundingSpace(string project)
    {
        var filter = ProjectFilter.Exclude(["  my-app"]);

        Assert.False(filter.Admits(project));
        Assert.Equal(ProjectFilterMode.Exclude, filter.Mode);
    }

    [Fact]
    public void ExcludeListAdmitsAnEventWithoutAProject()
    {
        var filter = ProjectFilter.Exclude(["my-app"]);

        Assert.True(filter.Admits(null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("my-app")]
    [InlineData("anything at all")]
    public void AllProjectsAdmitsEveryEventIncludingOnesWithoutAProject(string? project)
    {
        Assert.True(ProjectFilter.AllProjects.Admits(project));
        Assert.Equal(ProjectFilterMode.All, ProjectFilter.AllProjects.Mode);
    }

    [Fact]
    public void EmptyIncludeListMeansAllProjects()
    {
        var filter = ProjectFilter.Include([]);

        Assert.Equal(ProjectFilterMode.All, filter.Mode);
        Assert.Empty(filter.Projects);
        Assert.True(filter.Admits("whatever"));
        Assert.True(filter.Admits(null));
    }

    [Fact]
    public void EmptyExcludeListMeansAllProjects()
    {
        var filter = ProjectFilter.Exclude([]);

        Assert.Equal(ProjectFilterMode.All, filter.Mode);
        Assert.Equal(ProjectFilter.AllProjects, filter);
        Assert.True(filter.Admits("whatever"));
        Assert.True(filter.Admits(null));
    }

    [Fact]
    public void DuplicatesIgnoringCaseAndSpaceCollapseKeepingTheFirstSpelling()
    {
        var filter = ProjectFilter.Include([" My-App ", "my-app", "MY-APP  ", "billing", "Billing"]);

        Assert.Equal<string>(["My-App", "billing"], filter.Projects);
    }

    [Fact]
    public void FiltersWithTheSameNamesIgnoringCaseAreEqual()
    {
        var first = ProjectFilter.Include(["My-App", "billing"]);
        var second = ProjectFilter.Include(["my-app ", "BILLING"]);

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void IncludeAndExcludeOfTheSameNamesAreNotEqual()
    {
        Assert.NotEqual(ProjectFilter.Include(["my-app"]), ProjectFilter.Exclude(["my-app"]));
    }
}
