namespace Rafiki.Core;

/// <summary>The machine-learning task of a dataset, a model family or a train job.</summary>
public enum TaskType
{
    ImageClassification,
    ObjectDetection,
    TextClassification,
}
