using System.Globalization;
using Repro.Core;

namespace Repro.Results;

/// <summary>
/// One writer per results folder: an exclusive OS lock on <c>DIR.lock</c> (beside the folder, since
/// <see cref="StagedFolder"/> replaces the folder itself), held from before the first write to after
/// the last. .NET takes <c>flock(LOCK_EX | LOCK_NB)</c> for <see cref="FileShare.None"/> on Unix (a
/// share-mode lock on Windows); either way the OS drops it when the process exits or is killed, so
/// a crashed run never leaves the folder locked. The holder's pid, start time and command are
/// written to <c>DIR.lock.owner</c> so that a refused run can name it. The lock file itself is never
/// deleted: unlinking a lock file lets two processes lock two different inodes.
/// </summary>
public sealed class ResultsLock : IDisposable
{
    readonly FileStream _lock;
    readonly string _owner;

    ResultsLock(FileStream handle, string owner)
    {
        _lock = handle;
        _owner = owner;
    }

    /// <summary>The lock file of <paramref name="folder"/>.</summary>
    public static string LockOf(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + ".lock";

    /// <summary>
    /// Takes the lock of <paramref name="folder"/> for <paramref name="command"/> at once, or throws
    /// an <see cref="InputException"/> naming the holder (pid, start time, command) when another
    /// process (or another run in this one) holds it.
    /// </summary>
    public static ResultsLock Acquire(string folder, string command)
    {
        string path = LockOf(folder), owner = path + ".owner";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        FileStream handle;
        try
        {
            handle = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            string holder = File.Exists(owner) ? File.ReadAllText(owner).Trim() : "another process";
            throw new InputException($"{Path.GetFullPath(folder)}: in use by {holder} (lock {path}); wait for it to finish or stop it, then run again");
        }
        string started = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        AtomicFile.WriteText(owner, $"pid {Environment.ProcessId} (`repro {command}`, started {started} UTC)\n");
        return new ResultsLock(handle, owner);
    }

    /// <summary>Releases the lock (the owner note goes first, so it never names a process that no longer holds it).</summary>
    public void Dispose()
    {
        try { File.Delete(_owner); }
        finally { _lock.Dispose(); }
    }
}
