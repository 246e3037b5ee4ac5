using System.Collections.Immutable;
using System.Reflection;
using Rafiki.Core;
using Rafiki.Models.ImageClassification;

namespace Rafiki.Models;

/// <summary>
/// The model families registered on a node: the built-in ones, plus any a model developer registers or a node loads from
/// plugin assemblies. Every node of a cluster needs the same families.
/// </summary>
public static class ModelZoo
{
    private static ImmutableList<IModelFamily> _families = [new SmallCnnFamily(), new ResNetFamily()];

    /// <summary>Every known family.</summary>
    public static IReadOnlyList<IModelFamily> Families => _families;

    /// <summary>Returns the known families for a task.</summary>
    public static IReadOnlyList<IModelFamily> ForTask(TaskType task) => Families.Where(family => family.Task == task).ToList();

    /// <summary>Returns a family by name.</summary>
    /// <exception cref="ArgumentException">No family has that name; the message lists the names.</exception>
    public static IModelFamily Get(string name) =>
        Families.FirstOrDefault(family => family.Name == name)
        ?? throw new ArgumentException(
            $"model family '{name}' is unknown; use one of {string.Join(", ", Families.Select(f => f.Name))}.", nameof(name));

    /// <summary>Adds a family; registering the same name again with the same type does nothing.</summary>
    /// <exception cref="ArgumentException">Another type already uses the family's name.</exception>
    public static void Register(IModelFamily family)
    {
        ImmutableInterlocked.Update(ref _families, families =>
        {
            var existing = families.FirstOrDefault(f => f.Name == family.Name);
            if (existing is null)
            {
                return families.Add(family);
            }

            return existing.GetType() == family.GetType()
                ? families
                : throw new ArgumentException(
                    $"model family name '{family.Name}' is taken by {existing.GetType().FullName}; give {family.GetType().FullName} another name.",
                    nameof(family));
        });
    }

    /// <summary>Loads an assembly and registers every public, non-abstract <see cref="IModelFamily"/> with a parameterless constructor.</summary>
    /// <returns>Names of the families registered.</returns>
    /// <exception cref="ArgumentException">The file is missing, not a .NET assembly, or defines no family.</exception>
    public static IReadOnlyList<string> LoadPlugin(string assemblyPath)
    {
        var path = Path.GetFullPath(assemblyPath);
        if (!File.Exists(path))
        {
            throw new ArgumentException($"model plugin '{assemblyPath}' not found; give the path of a .dll.", nameof(assemblyPath));
        }

        Assembly assembly;
        try
        {
            assembly = System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
        }
        catch (BadImageFormatException e)
        {
            throw new ArgumentException($"model plugin '{assemblyPath}' is not a .NET assembly ({e.Message}).", nameof(assemblyPath), e);
        }

        var families = assembly.GetExportedTypes()
            .Where(type => typeof(IModelFamily).IsAssignableFrom(type) && !type.IsAbstract && type.GetConstructor(Type.EmptyTypes) is not null)
            .Select(type => (IModelFamily)Activator.CreateInstance(type)!)
            .ToList();
        if (families.Count == 0)
        {
            throw new ArgumentException(
                $"model plugin '{assemblyPath}' defines no public IModelFamily with a parameterless constructor; add one.", nameof(assemblyPath));
        }

        families.ForEach(Register);
        return [.. families.Select(family => family.Name)];
    }
}
