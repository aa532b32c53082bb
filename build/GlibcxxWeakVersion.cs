// Marks the GLIBCXX_3.4.32 version requirement of libLibTorchSharp.so as weak (VER_FLG_WEAK),
// so that Debian 12's libstdc++ (GCC 12, up to GLIBCXX_3.4.30) loads it.
//
// Why this is safe: the only symbol bound to GLIBCXX_3.4.32 is _ZSt21ios_base_library_initv,
// a marker that GCC 13's <iostream> references and that no relocation uses. A weak version
// requirement lets ld.so accept a libstdc++ that lacks it instead of refusing the library.
//
// Compiled by MSBuild's RoslynCodeTaskFactory (against netstandard2.0) from Directory.Build.targets. It rewrites only
// the copy in an output folder (new file + rename, so a hard link to the NuGet cache is broken,
// never written through), is idempotent, and is a no-op where libstdc++ already has the version.
// RoslynCodeTaskFactory compiles this file without a nullable context; enable one, or `string?`
// below is warning CS8632, which `dotnet run … > out.csv` used to write into the data.
#nullable enable
using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class GlibcxxWeakVersion : Task
{
    const string Needed = "GLIBCXX_3.4.32";
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    [Required] public string Directory { get; set; } = "";

    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return true;
        string lib = Path.Combine(Directory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(lib)) lib = Path.Combine(Directory, "libLibTorchSharp.so");
        if (!File.Exists(lib)) return true;
        if (SystemLibstdcxxHas(Needed)) return true;

        byte[] elf = File.ReadAllBytes(lib);
        int offset = FindVernaux(elf, Needed, out string reason);
        if (offset < 0)
        {
            Log.LogMessage(MessageImportance.High, $"repro: {lib}: left unpatched ({reason})");
            return true;
        }
        ushort flags = BitConverter.ToUInt16(elf, offset + 4);
        if ((flags & VerFlgWeak) != 0) return true; // already patched: idempotent
        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, offset + 4);

        string tmp = lib + ".patch.tmp";
        File.WriteAllBytes(tmp, elf);
        File.Delete(lib); // the copy may be a hard link into the NuGet cache: unlink, never write through
        File.Move(tmp, lib);
        Log.LogMessage(MessageImportance.High,
            $"repro: marked {Needed} weak in {lib} (system libstdc++ lacks it; see Directory.Build.targets)");
        return true;
    }

    static bool SystemLibstdcxxHas(string version)
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        string? path = candidates.FirstOrDefault(File.Exists);
        if (path is null) return false;
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        return IndexOf(File.ReadAllBytes(path), needle) >= 0;
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    /// <summary>Byte offset of the Elf64_Vernaux whose name is <paramref name="version"/>, or −1.</summary>
    static int FindVernaux(byte[] e, string version, out string reason)
    {
        reason = "";
        if (e.Length < 64 || e[0] != 0x7f || e[1] != (byte)'E' || e[2] != (byte)'L' || e[3] != (byte)'F')
        { reason = "not an ELF file"; return -1; }
        if (e[4] != 2 || e[5] != 1) { reason = "not a little-endian ELF64 file"; return -1; }
        long shoff = BitConverter.ToInt64(e, 0x28);
        int shentsize = BitConverter.ToUInt16(e, 0x3A);
        int shnum = BitConverter.ToUInt16(e, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)(shoff + (long)i * shentsize));
            if (BitConverter.ToUInt32(e, sh + 4) != ShtGnuVerneed) continue;
            int verneed = checked((int)BitConverter.ToInt64(e, sh + 0x18));
            int link = (int)BitConverter.ToUInt32(e, sh + 0x28);
            int strtab = checked((int)BitConverter.ToInt64(e, checked((int)(shoff + (long)link * shentsize)) + 0x18));
            for (int vn = verneed; ;)
            {
                int cnt = BitConverter.ToUInt16(e, vn + 2);
                int aux = vn + (int)BitConverter.ToUInt32(e, vn + 8);
                for (int j = 0; j < cnt; j++)
                {
                    int name = strtab + (int)BitConverter.ToUInt32(e, aux + 8);
                    int end = Array.IndexOf(e, (byte)0, name);
                    if (Encoding.ASCII.GetString(e, name, end - name) == version) return aux;
                    aux += (int)BitConverter.ToUInt32(e, aux + 12);
                }
                uint next = BitConverter.ToUInt32(e, vn + 12);
                if (next == 0) break;
                vn += (int)next;
            }
            reason = $"no {version} requirement";
            return -1;
        }
        reason = "no .gnu.version_r section";
        return -1;
    }
}
