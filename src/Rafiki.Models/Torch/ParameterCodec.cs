using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Rafiki.Models.Torch;

/// <summary>
/// Reads and writes a module's parameters and buffers in Rafiki's checkpoint format: "RFKP", a format version, then
/// for each tensor its name, element type, shape and raw bytes. Knowing each shape before copying lets a warm
/// start load only the tensors that fit another architecture.
/// </summary>
public static class ParameterCodec
{
    private const uint Magic = 0x504B4652; // "RFKP" read as little-endian
    private const ushort Version = 1;

    /// <summary>Serializes the module's state dictionary.</summary>
    public static byte[] Save(nn.Module module)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            var state = module.state_dict();
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(state.Count);
            foreach (var (name, tensor) in state)
            {
                using var host = tensor.detach().cpu().contiguous();
                writer.Write(name);
                writer.Write((byte)host.dtype);
                writer.Write((byte)host.shape.Length);
                foreach (var size in host.shape)
                {
                    writer.Write(size);
                }

                var bytes = host.bytes;
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Copies tensors from a checkpoint into the module's matching parameters and buffers.</summary>
    /// <exception cref="InvalidDataException">Not a checkpoint, or <paramref name="strict"/> and some tensor does not match.</exception>
    public static ParameterLoadReport Load(nn.Module module, byte[] checkpoint, bool strict)
    {
        var state = module.state_dict();
        var loaded = new List<string>();
        var skipped = new List<string>();
        using var reader = new BinaryReader(new MemoryStream(checkpoint), Encoding.UTF8);
        try
        {
            if (reader.ReadUInt32() != Magic)
            {
                throw new InvalidDataException("not a Rafiki checkpoint: the file does not start with 'RFKP'.");
            }

            var version = reader.ReadUInt16();
            if (version != Version)
            {
                throw new InvalidDataException($"checkpoint format version {version} is not supported; this build reads version {Version}.");
            }

            var count = reader.ReadInt32();
            using var noGrad = torch.no_grad();
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var dtype = (ScalarType)reader.ReadByte();
                var shape = new long[reader.ReadByte()];
                for (var d = 0; d < shape.Length; d++)
                {
                    shape[d] = reader.ReadInt64();
                }

                var bytes = reader.ReadBytes(reader.ReadInt32());
                if (state.TryGetValue(name, out var target) && target.dtype == dtype && target.shape.SequenceEqual(shape))
                {
                    using var source = torch.empty(shape, dtype);
                    source.bytes = bytes;
                    target.copy_(source);
                    loaded.Add(name);
                }
                else
                {
                    skipped.Add(name);
                }
            }
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("checkpoint is truncated; it was not written completely.", e);
        }

        var missing = state.Keys.Except(loaded).ToList();
        if (strict && (skipped.Count > 0 || missing.Count > 0))
        {
            throw new InvalidDataException(
                $"checkpoint does not match the model: skipped [{string.Join(", ", skipped)}], missing [{string.Join(", ", missing)}].");
        }

        return new ParameterLoadReport(loaded, skipped);
    }
}
