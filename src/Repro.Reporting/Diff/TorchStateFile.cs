using System.Text;
using Repro.Core;

namespace Repro.Reporting.Diff;

/// <summary>
/// Reads the tensors of a TorchSharp <c>Module.save</c> file (<c>weights.bin</c>) without loading
/// TorchSharp (the report and the diff never do). The format, as TorchSharp 0.107 writes it
/// (<c>Module.save(BinaryWriter)</c>, <c>TensorExtensionMethods.Save</c>): the entry count as a
/// LEB128 integer, then per entry its name (a .NET <c>BinaryWriter</c> string: 7-bit-encoded byte
/// length, UTF-8), the dtype code (LEB128, libtorch's <c>ScalarType</c>), the number of dimensions
/// and each dimension (LEB128), then the elements' bytes, little-endian.
/// </summary>
public static class TorchStateFile
{
    /// <summary>One stored tensor: its name, dtype code, shape, its elements as doubles when it is
    /// float32 or float64 (else null), and its raw bytes.</summary>
    public sealed record Tensor(string Name, int DType, IReadOnlyList<long> Shape, double[]? Values, byte[] Bytes);

    // libtorch ScalarType codes and element sizes (c10/core/ScalarType.h).
    static readonly Dictionary<int, int> ElementSize = new()
    {
        [0] = 1, [1] = 1, [2] = 2, [3] = 4, [4] = 8, [5] = 2, [6] = 4, [7] = 8, [11] = 1, [15] = 2,
    };

    /// <summary>Every tensor of the file in stored order; a truncated or malformed file is an error naming <paramref name="displayPath"/>.</summary>
    public static IReadOnlyList<Tensor> Read(string path, string displayPath)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int at = 0;
        Exception Corrupt(string why) => new InputException($"{displayPath}: not a TorchSharp weights file ({why} at byte {at})");
        long Leb128()
        {
            long result = 0;
            for (int shift = 0; ; shift += 7)
            {
                if (at >= bytes.Length) throw Corrupt("truncated");
                if (shift > 63) throw Corrupt("integer too long");
                byte b = bytes[at++];
                result |= (long)(b & 0x7f) << shift;
                if ((b & 0x80) == 0) return result;
            }
        }
        long count = Leb128();
        if (count < 0 || count > 1_000_000) throw Corrupt($"entry count {count}");
        var tensors = new List<Tensor>();
        for (long e = 0; e < count; e++)
        {
            // BinaryWriter.Write(string): 7-bit-encoded length (same bytes as LEB128 for these sizes), UTF-8.
            long nameLength = Leb128();
            if (nameLength < 0 || at + nameLength > bytes.Length) throw Corrupt("truncated name");
            string name = Encoding.UTF8.GetString(bytes, at, (int)nameLength);
            at += (int)nameLength;
            int dtype = (int)Leb128();
            if (!ElementSize.TryGetValue(dtype, out int size)) throw Corrupt($"unknown dtype code {dtype} of {name}");
            long ndim = Leb128();
            if (ndim < 0 || ndim > 16) throw Corrupt($"{ndim} dimensions in {name}");
            var shape = new long[ndim];
            long numel = 1;
            for (int k = 0; k < ndim; k++)
            {
                shape[k] = Leb128();
                if (shape[k] < 0) throw Corrupt($"negative dimension in {name}");
                numel = checked(numel * shape[k]);
            }
            long length = numel * size;
            if (length > bytes.Length - at) throw Corrupt($"truncated data of {name}");
            byte[] data = bytes.AsSpan(at, (int)length).ToArray();
            at += (int)length;
            double[]? values = dtype switch
            {
                6 => Enumerable.Range(0, (int)numel).Select(i => (double)BitConverter.ToSingle(data, 4 * i)).ToArray(),
                7 => Enumerable.Range(0, (int)numel).Select(i => BitConverter.ToDouble(data, 8 * i)).ToArray(),
                _ => null,
            };
            tensors.Add(new Tensor(name, dtype, shape, values, data));
        }
        if (at != bytes.Length) throw Corrupt($"{bytes.Length - at} bytes after the last tensor");
        return tensors;
    }
}
