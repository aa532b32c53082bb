using System.Runtime.InteropServices;

namespace Repro.Runs;

/// <summary>
/// The platform facts a run's numbers depend on beyond the code, packages and thread count: the .NET
/// runtime identifier (OS and architecture: the managed float64 code is IEEE-exact, but libtorch is a
/// native build per platform) and the CPU model (libtorch picks its float32 kernels by CPU capability,
/// AVX2 or AVX-512, and they may round differently). Part of the local cache's key, so a cache folder
/// copied to another machine is never reused there.
/// </summary>
public static class PlatformIdentity
{
    static readonly Lazy<string> Value = new(() => $"{RuntimeInformation.RuntimeIdentifier}; {CpuModel() ?? RuntimeInformation.ProcessArchitecture.ToString()}");

    /// <summary>For example <c>linux-x64; Intel(R) Xeon(R) …</c>.</summary>
    public static string Description => Value.Value;

    /// <summary>The first <c>model name</c> of <c>/proc/cpuinfo</c> (Linux), or null.</summary>
    static string? CpuModel()
    {
        try
        {
            if (!File.Exists("/proc/cpuinfo")) return null;
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int colon and > 0)
                    return line[(colon + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
