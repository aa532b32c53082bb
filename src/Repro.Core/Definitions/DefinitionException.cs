namespace Repro.Core.Definitions;

/// <summary>
/// A definition that cannot be used, located precisely: <c>FILE:LINE:COL: json.path: reason</c>.
/// The CLI prints <see cref="Exception.Message"/> as one line and exits with code 2.
/// </summary>
public sealed class DefinitionException : InputException
{
    /// <summary>The file, as the user named it.</summary>
    public string File { get; }

    /// <summary>1-based line of the offending value (0 when the file itself is at fault).</summary>
    public int Line { get; }

    /// <summary>1-based column of the offending value.</summary>
    public int Column { get; }

    /// <summary>JSONPath of the offending value, e.g. <c>$.training.sigma</c>.</summary>
    public string JsonPath { get; }

    /// <summary>Why the value is refused.</summary>
    public string Reason { get; }

    /// <summary>Creates the error.</summary>
    public DefinitionException(string file, int line, int column, string jsonPath, string reason)
        : base(line > 0 ? $"{file}:{line}:{column}: {jsonPath}: {reason}"
            // A fault of the whole file or text (missing, unreadable) has no place inside it to name.
            : jsonPath == "$" ? $"{file}: {reason}" : $"{file}: {jsonPath}: {reason}")
    {
        File = file;
        Line = line;
        Column = column;
        JsonPath = jsonPath;
        Reason = reason;
    }
}
