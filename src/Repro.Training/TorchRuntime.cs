using System.Runtime.InteropServices;
using Repro.Core;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// Loads libtorch once, reporting the dynamic loader's own error when it fails (TorchSharp's
/// message blames a missing package reference even when the cause is, say, a libstdc++ version),
/// and fixes the intra-op thread count for the process.
/// </summary>
public static class TorchRuntime
{
    static readonly Lock Gate = new();
    static bool _loaded;

    /// <summary>Ensures libtorch is usable and sets its thread count; throws a one-line error otherwise.</summary>
    public static void Initialise(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "must be ≥ 1");
        lock (Gate)
        {
            if (!_loaded)
            {
                try
                {
                    InitializeDeviceType(TorchSharp.DeviceType.CPU);
                }
                catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException)
                {
                    throw new TorchUnavailableException(LoaderError() ?? e.Message.Split('\n')[0]);
                }
                _loaded = true;
            }
            if (get_num_threads() != threads) set_num_threads(threads);
        }
    }

    /// <summary>TorchSharp's version and the libtorch it binds, for run records.</summary>
    public static string Versions =>
        $"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3)}, libtorch {__version__}";

    /// <summary>The dynamic loader's error for libLibTorchSharp.so, or null when it loads.</summary>
    static string? LoaderError()
    {
        string dir = AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(dir, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
            Path.Combine(dir, "libLibTorchSharp.so"),
        ];
        string? path = candidates.FirstOrDefault(File.Exists);
        if (path is null) return $"libLibTorchSharp.so is not in {dir} (was the project built with TorchSharp-cpu?)";
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return null;
        }
        catch (DllNotFoundException e)
        {
            return "cannot load libtorch: " + e.Message.Replace('\n', ' ');
        }
    }
}

/// <summary>libtorch cannot be loaded on this machine; the message is the loader's reason.</summary>
public sealed class TorchUnavailableException(string message) : InputException(message);
