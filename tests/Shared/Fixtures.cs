namespace Rafiki.Testing;

/// <summary>Finds files under tests/fixtures from any test's output folder.</summary>
public static class Fixtures
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "tests", "fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/fixtures not found above {AppContext.BaseDirectory}.");
    });

    /// <summary>Returns the absolute path of a fixture file, such as <c>fashion-mnist/train-images-idx3-ubyte.gz</c>.</summary>
    public static string PathOf(string relative) => Path.Combine(Root.Value, relative);

    /// <summary>Root folder of the repository checkout.</summary>
    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(Root.Value, "..", ".."));

    /// <summary>Folder of the committed Fashion-MNIST subset.</summary>
    public static string FashionMnist => PathOf("fashion-mnist");
}
