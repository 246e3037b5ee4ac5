using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rafiki.Client.Contracts;

/// <summary>A tensor of the KServe v2 (Open Inference Protocol) JSON format.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="Shape">Size of each dimension.</param>
/// <param name="Datatype">Element type, such as <c>UINT8</c>, <c>FP32</c> or <c>INT64</c>.</param>
/// <param name="Data">Elements in row-major order, flat or nested.</param>
public sealed record V2Tensor(string? Name, IReadOnlyList<long>? Shape, string? Datatype, JsonElement? Data);

/// <summary>An output the client asks for by name.</summary>
public sealed record V2RequestedOutput(string? Name);

/// <summary>Body of <c>POST /v2/models/{name}/infer</c>.</summary>
/// <param name="Id">Request id, echoed in the response.</param>
/// <param name="Inputs">Exactly one input tensor of images, shape <c>[N, C, H, W]</c> or <c>[N, H, W]</c> for one channel.</param>
/// <param name="Outputs">Outputs to return (<c>probabilities</c>, <c>label</c>); both when null.</param>
public sealed record V2InferRequest(string? Id, IReadOnlyList<V2Tensor>? Inputs, IReadOnlyList<V2RequestedOutput>? Outputs = null);

/// <summary>Response of <c>POST /v2/models/{name}/infer</c>.</summary>
public sealed record V2InferResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string? ModelVersion,
    string? Id,
    IReadOnlyList<V2Tensor> Outputs);

/// <summary>Name, type and shape of a model input or output; -1 marks a variable dimension.</summary>
public sealed record V2TensorMetadata(string Name, string Datatype, IReadOnlyList<long> Shape);

/// <summary>Response of <c>GET /v2/models/{name}</c>.</summary>
public sealed record V2ModelMetadata(
    string Name, IReadOnlyList<string> Versions, string Platform, IReadOnlyList<V2TensorMetadata> Inputs, IReadOnlyList<V2TensorMetadata> Outputs);

/// <summary>Response of the v2 liveness and readiness endpoints.</summary>
public sealed record V2Health(bool? Live = null, bool? Ready = null);
