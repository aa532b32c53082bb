namespace Repro.Core;

/// <summary>
/// Input that cannot be used (a definition, a CSV of points, a stored result): the message is one
/// line naming the file, the place and the reason. The CLI prints it and exits with code 2.
/// </summary>
public class InputException : Exception
{
    /// <summary>Creates the error with its one-line message.</summary>
    public InputException(string message) : base(message) { }
}
