using GitOrch.Api.Model;
using GitOrch.Engine.Sources.Loading;
using GitOrch.Engine.Sources.Planning;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Sources;
using LibGit2Sharp;
using Xunit;

namespace GitOrch.Tests.Engine.Sources.Loading;

public sealed class ManifestLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new("gitorch-loader");

    public void Dispose() => _dir.Dispose();

    private static LoadResult LoadText(string file, string text, LoaderLimits? limits = null)
        => new ManifestLoader(limits).Load(new[] { new ManifestFile(file, text) });

    [Fact]
    public void Multi_document_file_yields_every_object_and_ignores_empty_documents()
    {
        var r = LoadText("app.yaml", "---\n# only a comment\n---\n" + Manifests.ConfigMap("a") + "\n---\n---\n" + Manifests.Deployment("web") + "\n");
        Assert.Empty(r.Errors);
        Assert.Equal(new[] { "ConfigMap", "Deployment" }, r.Manifests.Select(m => m.Kind.Kind));
        var d = Assert.IsType<Deployment>(r.Manifests[1].Object);
        Assert.Equal("busybox:1", d.Spec!.Template.Spec!.Containers[0].Image);
        Assert.Equal(12, r.Manifests[1].Line);
    }

    [Fact]
    public void Unknown_field_is_a_warning_with_file_and_line()
    {
        var yaml = Manifests.Deployment("web").Replace("  replicas: 1", "  replicas: 1\n  frobnicate: true");
        var r = LoadText("apps/web.yaml", yaml);
        Assert.Empty(r.Errors);
        var w = Assert.Single(r.Warnings);
        Assert.Equal("apps/web.yaml", w.File);
        Assert.Equal(7, w.Line);
        Assert.Contains("spec.frobnicate", w.Message);
    }

    [Fact]
    public void Unknown_kind_and_bad_type_are_errors_with_lines_and_all_are_reported()
    {
        var r = LoadText("x.yaml", "apiVersion: v1\nkind: Gizmo\nmetadata:\n  name: a\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\nspec:\n  replicas: many\n");
        Assert.Equal(2, r.Errors.Count);
        Assert.Contains(r.Errors, e => e.Line == 2 && e.Message.Contains("unknown kind Gizmo"));
        Assert.Contains(r.Errors, e => e.Line == 11 && e.Message.Contains("spec.replicas"));
    }

    [Fact]
    public void Alias_bomb_is_stopped_with_a_clear_error()
    {
        var bomb = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: boom\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
        var r = LoadText("bomb.yaml", bomb);
        var e = Assert.Single(r.Errors);
        Assert.Contains("alias bomb", e.Message);
        Assert.Empty(r.Manifests);
    }

    [Fact]
    public void Oversized_document_and_too_many_objects_are_errors()
    {
        var limits = new LoaderLimits { MaxDocumentBytes = 200, MaxObjects = 2 };
        var big = LoadText("big.yaml", Manifests.ConfigMap("a", new string('x', 500)), limits);
        Assert.Contains(big.Errors, e => e.Message.Contains("larger than 200 bytes"));
        var many = LoadText("many.yaml", string.Join("\n---\n", Enumerable.Range(0, 3).Select(i => Manifests.ConfigMap("c" + i))), new LoaderLimits { MaxObjects = 2 });
        Assert.Contains(many.Errors, e => e.Message.Contains("too many objects"));
    }

    [Fact]
    public void Same_object_in_two_files_names_both_files()
    {
        var r = new ManifestLoader().Load(new[] { new ManifestFile("a.yaml", Manifests.ConfigMap("dup")), new ManifestFile("b/c.yaml", "\n" + Manifests.ConfigMap("dup")) });
        var state = DesiredState.Build(r, "abc", new DesiredTarget("default", "app", null));
        var e = Assert.Single(state.Errors);
        Assert.Equal("b/c.yaml:2: ConfigMap default/dup is also defined in a.yaml:1", e.ToString());
    }

    [Fact]
    [Trait("Requires", "Git")]
    public void Git_tree_skips_hidden_folders_and_refuses_symlinks_leaving_the_repository()
    {
        var repo = new TestRepo(_dir.Path);
        repo.Write("deploy/app.yml", Manifests.ConfigMap("a"))
            .Write("deploy/.hidden/x.yaml", "not: [valid")
            .Write("deploy/nested/b.yaml", Manifests.ConfigMap("b"))
            .Write("deploy/readme.md", "# not a manifest");
        File.CreateSymbolicLink(Path.Combine(repo.WorkPath, "deploy", "escape.yaml"), "../../../../etc/passwd");
        File.CreateSymbolicLink(Path.Combine(repo.WorkPath, "deploy", "inside.yaml"), "nested/b.yaml");
        var sha = repo.Commit("init");
        using var git = new Repository(repo.BarePath);
        var r = new ManifestLoader().Load(git.Lookup<Commit>(sha), "deploy");
        Assert.Equal(new[] { "a", "b", "b" }, r.Manifests.Select(m => m.Object.Name).OrderBy(n => n));
        var e = Assert.Single(r.Errors);
        Assert.Equal("deploy/escape.yaml", e.File);
        Assert.Contains("leaves the repository", e.Message);
    }

    [Fact]
    [Trait("Requires", "Git")]
    public void Oversized_file_is_refused_before_it_is_read()
    {
        var repo = new TestRepo(_dir.Path);
        repo.Write("big.yaml", "# " + new string('x', 5000) + "\n" + Manifests.ConfigMap("a"));
        var sha = repo.Commit("big");
        using var git = new Repository(repo.BarePath);
        var r = new ManifestLoader(new LoaderLimits { MaxFileBytes = 1000 }).Load(git.Lookup<Commit>(sha), null);
        Assert.Contains(r.Errors, e => e.File == "big.yaml" && e.Message.Contains("larger than the limit"));
    }
}
