using TorchSharp;

namespace Rafiki.Models.Torch;

/// <summary>Loads libtorch once, with a clear error when it cannot, and turns device settings into TorchSharp devices.</summary>
public static class TorchRuntime
{
    private static readonly Lazy<Exception?> LoadError = new(TryLoad);

    /// <summary>Loads the native libraries; call before the first tensor operation of a process.</summary>
    /// <exception cref="InvalidOperationException">libtorch failed to load; the message says why and how to fix it.</exception>
    public static void EnsureLoaded()
    {
        if (LoadError.Value is { } error)
        {
            throw new InvalidOperationException(
                "libtorch failed to load. Build the project with 'dotnet build' (its build step marks the libstdc++ " +
                "versions that this host lacks as optional in libLibTorchSharp.so) and run the built program, " +
                $"or see README.md. Cause: {FirstLine(error)}", error);
        }
    }

    /// <summary>Returns the device for a setting such as <c>cpu</c>, <c>cuda</c> or <c>cuda:1</c>.</summary>
    /// <exception cref="ArgumentException">The setting is malformed, or names CUDA where this build or host has none.</exception>
    public static torch.Device ParseDevice(string setting)
    {
        EnsureLoaded();
        var normalized = setting.Trim().ToLowerInvariant();
        if (normalized == "cpu")
        {
            return torch.CPU;
        }

        if (normalized == "cuda" || normalized.StartsWith("cuda:", StringComparison.Ordinal))
        {
            var index = normalized == "cuda" ? 0 : ParseIndex(normalized[5..], setting);
            if (!torch.cuda.is_available())
            {
                throw new ArgumentException(
                    $"device '{setting}' is not available: this build uses TorchSharp-cpu or the host has no CUDA GPU; " +
                    "use 'cpu', or build with the TorchSharp CUDA package on a GPU host.");
            }

            var count = torch.cuda.device_count();
            if (index >= count)
            {
                throw new ArgumentException($"device '{setting}' does not exist: this host has {count} CUDA device(s); use cuda:0 to cuda:{count - 1}.");
            }

            return torch.device(DeviceType.CUDA, index);
        }

        throw new ArgumentException($"device '{setting}' is invalid; use 'cpu', 'cuda' or 'cuda:N'.");
    }

    /// <summary>Sets the number of threads libtorch uses for one operation (process-wide).</summary>
    public static void SetThreads(int threads)
    {
        EnsureLoaded();
        torch.set_num_threads(Math.Max(1, threads));
    }

    private static int ParseIndex(string text, string setting) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? index
            : throw new ArgumentException($"device '{setting}' is invalid; the part after 'cuda:' must be a device number.");

    private static Exception? TryLoad()
    {
        try
        {
            using var probe = torch.zeros(1);
            return null;
        }
        catch (Exception e) when (e is TypeInitializationException or NotSupportedException or DllNotFoundException)
        {
            return e;
        }
    }

    private static string FirstLine(Exception error)
    {
        var inner = error;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner.Message.Split('\n')[0].Trim();
    }
}
