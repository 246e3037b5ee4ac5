using Rafiki.Core;
using Rafiki.Storage.Datasets;
using Rafiki.Testing;

namespace Rafiki.Storage.Tests;

public sealed class DatasetStoreTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Imported_idx_dataset_loads_back_identically()
    {
        var store = new DatasetStore(_folder.Path);
        var images = Fixtures.PathOf("fashion-mnist/t10k-images-idx3-ubyte.gz");
        var labels = Fixtures.PathOf("fashion-mnist/t10k-labels-idx1-ubyte.gz");

        var info = store.ImportIdx("fashion-test", images, labels);
        var loaded = new DatasetStore(_folder.Path).LoadImages(info.Id);
        var original = IdxFormat.Read(images, labels);

        Assert.Equal(TaskType.ImageClassification, info.Task);
        Assert.Equal(400, info.Count);
        Assert.Equal(original.Pixels, loaded.Pixels);
        Assert.Equal(original.Labels, loaded.Labels);
    }

    [Fact]
    public void Datasets_are_listed_and_found_by_name()
    {
        var store = new DatasetStore(_folder.Path);
        using var zip = ImageFolderZipTests.Archive(("a/1.png", ImageFolderZipTests.Png(2, 2, 0)));
        var first = store.ImportImageZip("tiny", zip);
        var second = store.ImportIdx(
            "fashion", Fixtures.PathOf("fashion-mnist/t10k-images-idx3-ubyte.gz"), Fixtures.PathOf("fashion-mnist/t10k-labels-idx1-ubyte.gz"));

        Assert.Equal([first.Id, second.Id], store.List().Select(info => info.Id));
        Assert.Equal(second.Id, store.FindByName("fashion")?.Id);
        Assert.Null(store.FindByName("missing"));
    }

    [Fact]
    public void Invalid_upload_stores_nothing()
    {
        var store = new DatasetStore(_folder.Path);
        using var zip = ImageFolderZipTests.Archive(("../x/1.png", ImageFolderZipTests.Png(2, 2, 0)));

        Assert.Throws<DatasetFormatException>(() => store.ImportImageZip("bad", zip));

        Assert.Empty(store.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void Deleted_dataset_is_gone()
    {
        var store = new DatasetStore(_folder.Path);
        using var zip = ImageFolderZipTests.Archive(("a/1.png", ImageFolderZipTests.Png(2, 2, 0)));
        var info = store.ImportImageZip("tiny", zip);
        store.LoadImages(info.Id);

        Assert.True(store.Delete(info.Id));

        Assert.Null(store.Find(info.Id));
        Assert.Throws<KeyNotFoundException>(() => store.LoadImages(info.Id));
        Assert.False(store.Delete(info.Id));
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Unsafe_id_finds_nothing(string id)
    {
        var store = new DatasetStore(_folder.Path);

        Assert.Null(store.Find(id));
    }
}
