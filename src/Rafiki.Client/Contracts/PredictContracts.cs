using System.Text.Json;

namespace Rafiki.Client.Contracts;

/// <summary>
/// Body of <c>POST /inference-jobs/{id}/predict</c>: one <see cref="Query"/> or a list of <see cref="Queries"/>.
/// A query is an image, either as a base64 string (the raw pixel bytes, channel-first, or an encoded PNG, JPEG,
/// BMP or GIF file) or as a JSON array of pixel values 0 to 255: flat, <c>[height][width]</c> or
/// <c>[channels][height][width]</c>.
/// </summary>
public sealed record PredictRequest(JsonElement? Query = null, IReadOnlyList<JsonElement>? Queries = null);

/// <summary>The prediction for one query.</summary>
/// <param name="Label">Index of the most probable class.</param>
/// <param name="ClassName">Name of the most probable class.</param>
/// <param name="Probabilities">Probability of each class, in class order.</param>
/// <param name="Late">
/// True when the prediction arrived after the inference job's latency target tau, which happens only in jobs with
/// the overdue action <c>serve-late</c>.
/// </param>
public sealed record PredictionView(int Label, string ClassName, IReadOnlyList<float> Probabilities, bool Late = false);

/// <summary>
/// Response of the predict endpoint: <see cref="Prediction"/> for a request with one query, otherwise
/// <see cref="Predictions"/> in query order.
/// </summary>
public sealed record PredictResponse(PredictionView? Prediction = null, IReadOnlyList<PredictionView>? Predictions = null);
