namespace Rafiki.Storage.Datasets;

/// <summary>Labelled texts held in memory: one label per text, an index into <see cref="ClassNames"/>.</summary>
public sealed class TextDataset
{
    public TextDataset(IReadOnlyList<string> classNames, string[] texts, int[] labels)
    {
        if (texts.Length != labels.Length)
        {
            throw new ArgumentException($"{texts.Length} texts do not match {labels.Length} labels.");
        }

        var outside = Array.FindIndex(labels, label => label < 0 || label >= classNames.Count);
        if (outside >= 0)
        {
            throw new ArgumentException($"label {labels[outside]} of text {outside} is outside the {classNames.Count} classes.");
        }

        ClassNames = classNames;
        Texts = texts;
        Labels = labels;
    }

    public int Count => Labels.Length;

    public IReadOnlyList<string> ClassNames { get; }

    public string[] Texts { get; }

    public int[] Labels { get; }
}
