using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Repro.Core;
using Repro.Core.Numerics;

namespace Repro.Results;

/// <summary>
/// A strict reader of NumPy's <c>.npy</c> files (format versions 1.0, 2.0 and 3.0) and of
/// <c>.npz</c> archives of them, for n × d float32 or float64 samples.
/// </summary>
/// <remarks>
/// The format is NumPy's own specification (numpy.lib.format, NEP 1): the magic <c>\x93NUMPY</c>,
/// a major and minor version byte, the header length (uint16 little-endian in 1.0, uint32 in 2.0
/// and 3.0), then an ASCII (UTF-8 in 3.0) Python dict literal
/// <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (n, d), }</c> padded with spaces and a
/// newline, then the raw values. An <c>.npz</c> is a zip (plain or deflated) of <c>NAME.npy</c> entries.
/// NuGet serves no reader strict enough: NumSharp 0.70's <c>np.load</c> refuses format 2.0 and 3.0,
/// throws bare exceptions for Fortran order and big-endian data and does not check that the data
/// are all there; a truncated file would be read with zeros. Anything else than a real n × d
/// floating-point array is refused here with one line saying what to save instead.
/// </remarks>
public static class NpyFile
{
    static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    static readonly Regex Header = new(
        @"^\{\s*(?:'(?<key>descr|fortran_order|shape)'\s*:\s*(?<value>'[^']*'|True|False|\([^)]*\))\s*,?\s*)+\}\s*$",
        RegexOptions.CultureInvariant);

    /// <summary>Reads an n × d float32 or float64 array from a <c>.npy</c> file as float64 points.</summary>
    /// <exception cref="InputException">One line naming the file and what is wrong.</exception>
    public static Points ReadNpy(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>
    /// Reads the samples of an <c>.npz</c> archive: its array named <c>samples</c>, or its only
    /// array (<c>np.savez(path, x)</c> stores <c>arr_0</c>).
    /// </summary>
    /// <exception cref="InputException">One line naming the file (and array) and what is wrong.</exception>
    public static Points ReadNpz(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException)
        {
            throw new InputException($"{path}: not a NumPy .npz file (not a zip archive); save samples with np.savez(path, samples=x)");
        }
        using (zip)
        {
            var arrays = zip.Entries.Where(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal)).ToArray();
            var chosen = arrays.FirstOrDefault(e => e.FullName == "samples.npy") ?? (arrays.Length == 1 ? arrays[0] : null);
            if (chosen is null)
                throw new InputException(arrays.Length == 0
                    ? $"{path}: the archive holds no .npy array; save samples with np.savez(path, samples=x)"
                    : $"{path}: holds arrays {string.Join(", ", arrays.Select(e => e.FullName[..^4]))}; name the samples 'samples' (np.savez(path, samples=x)) or keep one array per file");
            using var entry = chosen.Open();
            using var buffer = new MemoryStream();
            try
            {
                entry.CopyTo(buffer);
            }
            catch (InvalidDataException e)
            {
                throw new InputException($"{path}: array {chosen.FullName[..^4]} cannot be decompressed ({e.Message.TrimEnd('.')})");
            }
            buffer.Position = 0;
            return Read(buffer, $"{path}: array {chosen.FullName[..^4]}");
        }
    }

    static Points Read(Stream stream, string where)
    {
        var prefix = new byte[8];
        if (ReadFully(stream, prefix) < 8 || !prefix.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InputException($"{where}: not a NumPy .npy file (no \\x93NUMPY magic); save samples with np.save(path, x)");
        byte major = prefix[6], minor = prefix[7];
        if (major is not (1 or 2 or 3) || minor != 0)
            throw new InputException($"{where}: NPY format version {major}.{minor}; this reader knows 1.0, 2.0 and 3.0");
        var lengthBytes = new byte[major == 1 ? 2 : 4];
        if (ReadFully(stream, lengthBytes) < lengthBytes.Length) throw new InputException($"{where}: truncated NPY header");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (headerLength > 1 << 20) throw new InputException($"{where}: NPY header of {headerLength} bytes (corrupt?)");
        var headerBytes = new byte[headerLength];
        if (ReadFully(stream, headerBytes) < headerBytes.Length) throw new InputException($"{where}: truncated NPY header");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);

        var match = Header.Match(header);
        if (!match.Success) throw new InputException($"{where}: NPY header is not a dict of descr, fortran_order and shape (got {header.Trim()})");
        var fields = new Dictionary<string, string>();
        var keys = match.Groups["key"].Captures;
        var values = match.Groups["value"].Captures;
        for (int i = 0; i < keys.Count; i++)
            if (!fields.TryAdd(keys[i].Value, values[i].Value)) throw new InputException($"{where}: NPY header names {keys[i].Value} twice");
        foreach (string key in new[] { "descr", "fortran_order", "shape" })
            if (!fields.ContainsKey(key)) throw new InputException($"{where}: NPY header lacks '{key}'");

        string descr = fields["descr"].Trim('\'');
        int size;
        bool bigEndian;
        switch (descr)
        {
            case "<f4": case "=f4": (size, bigEndian) = (4, false); break;
            case ">f4": (size, bigEndian) = (4, true); break;
            case "<f8": case "=f8": (size, bigEndian) = (8, false); break;
            case ">f8": (size, bigEndian) = (8, true); break;
            default:
                throw new InputException($"{where}: dtype '{descr}'; samples must be float32 ('<f4') or float64 ('<f8'): save x.astype(np.float64)");
        }
        bool fortran = fields["fortran_order"] == "True";
        var shape = fields["shape"].Trim('(', ')').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : -1).ToArray();
        string shapeText = "(" + string.Join(", ", shape) + (shape.Length == 1 ? ",)" : ")");
        if (shape.Any(v => v < 0)) throw new InputException($"{where}: NPY shape {fields["shape"]} is not a tuple of sizes");
        if (shape.Length != 2)
            throw new InputException(shape.Length == 1
                ? $"{where}: shape {shapeText}; samples are n × d (one row per point): for d = 1 save x.reshape(-1, 1)"
                : $"{where}: shape {shapeText}; samples are n × d (one row per point, one column per coordinate)");
        long n = shape[0], d = shape[1];
        if (n == 0 || d == 0) throw new InputException($"{where}: shape {shapeText}: no points");
        if (n * d > int.MaxValue / 8) throw new InputException($"{where}: shape {shapeText} is too large");

        long expected = n * d * size;
        var data = new byte[expected];
        int got = ReadFully(stream, data);
        if (got < expected) throw new InputException($"{where}: shape {shapeText} {descr} needs {expected} bytes of data, the file has {got}");
        if (stream.ReadByte() >= 0) throw new InputException($"{where}: more data than shape {shapeText} {descr} holds");

        var result = new double[n * d];
        for (long i = 0; i < n; i++)
        {
            for (long k = 0; k < d; k++)
            {
                long at = (fortran ? k * n + i : i * d + k) * size;
                var bytes = data.AsSpan((int)at, size);
                double v = size == 4
                    ? (bigEndian ? BinaryPrimitives.ReadSingleBigEndian(bytes) : BinaryPrimitives.ReadSingleLittleEndian(bytes))
                    : (bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(bytes) : BinaryPrimitives.ReadDoubleLittleEndian(bytes));
                if (!double.IsFinite(v))
                    throw new InputException($"{where}: row {i + 1}, x{k + 1} is {(double.IsNaN(v) ? "NaN" : v > 0 ? "+inf" : "-inf")}; samples must be finite");
                result[i * d + k] = v;
            }
        }
        return new Points(result, (int)d);
    }

    static int ReadFully(Stream stream, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer, total, buffer.Length - total);
            if (read == 0) break;
            total += read;
        }
        return total;
    }
}
