using Rafiki.Core;
using Rafiki.Models.ImageClassification;

namespace Rafiki.Models;

/// <summary>The built-in model families, by name and by task.</summary>
public static class ModelZoo
{
    /// <summary>Every built-in family.</summary>
    public static IReadOnlyList<IModelFamily> Families { get; } = [new SmallCnnFamily(), new ResNetFamily()];

    /// <summary>Returns the built-in families for a task.</summary>
    public static IReadOnlyList<IModelFamily> ForTask(TaskType task) => Families.Where(family => family.Task == task).ToList();

    /// <summary>Returns a family by name.</summary>
    /// <exception cref="ArgumentException">No family has that name; the message lists the names.</exception>
    public static IModelFamily Get(string name) =>
        Families.FirstOrDefault(family => family.Name == name)
        ?? throw new ArgumentException(
            $"model family '{name}' is unknown; use one of {string.Join(", ", Families.Select(f => f.Name))}.", nameof(name));
}
