using System.Globalization;
using System.Text;

namespace Repro.Core.Definitions.Json;

/// <summary>
/// Writes strings from a definition into error messages: quoted, with control characters
/// escaped as in JSON, so that a message always stays on one line.
/// </summary>
public static class JsonText
{
    /// <summary>The string in double quotes, control characters, quotes and backslashes escaped.</summary>
    public static string Quote(string value) => "\"" + Escape(value) + "\"";

    /// <summary>The string with control characters, quotes and backslashes escaped, without quotes.</summary>
    public static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029')
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }
}
