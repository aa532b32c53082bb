using System.Globalization;
using Repro.Core;

namespace Repro.Results;

/// <summary>
/// One writer per results folder: an exclusive OS lock on <c>DIR.lock</c> (beside the folder, since
/// <see cref="StagedFolder"/> replaces the folder itself), held from before the first write to after
/// the last. .NET takes <c>flock(LOCK_EX | LOCK_NB)</c> for <see cref="FileShare.None"/> on Unix (a
/// share-mode lock on Windows); either way the OS drops it when the process exits or is killed, so
/// a crashed run never leaves the folder locked. The holder's pid, start time and command are
/// written to <c>DIR.lock.owner</c> so that a refused run can name it.
/// <para>
/// The holder removes <c>DIR.lock</c> when it releases, so no empty file is left beside the results. Unlinking a
/// lock file is safe only with the classic check (as in git's and systemd's lock files): the holder unlinks while it
/// still holds the lock, and a process that wins the lock on a file that has meanwhile been unlinked (it opened the
/// name before the holder's unlink) drops it and opens the name again, so no two processes ever hold locks on two
/// different files of one name. Whether the locked file is still linked is read from <c>/proc/self/fd</c>, so this
/// is done on Linux only; elsewhere the lock file is kept, as before.
/// </para>
/// </summary>
public sealed class ResultsLock : IDisposable
{
    readonly FileStream _lock;
    readonly string _path, _owner;

    ResultsLock(FileStream handle, string path, string owner)
    {
        _lock = handle;
        _path = path;
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
        for (int attempt = 0; ; attempt++)
        {
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
            if (IsUnlinked(handle))
            {
                // Locked a file its previous holder unlinked on release after we opened it: the lock of that name is
                // now a new file (or none yet); open the name again.
                handle.Dispose();
                if (attempt < 100) continue;
                throw new InputException($"{Path.GetFullPath(folder)}: lock {path} keeps being replaced while taken; run again");
            }
            string started = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            AtomicFile.WriteText(owner, $"pid {Environment.ProcessId} (`repro {command}`, started {started} UTC)\n");
            return new ResultsLock(handle, path, owner);
        }
    }

    /// <summary>
    /// True when the file <paramref name="handle"/> has open is no longer linked under any name (Linux: its
    /// <c>/proc/self/fd</c> link reads "… (deleted)"); false where that cannot be told.
    /// </summary>
    internal static bool IsUnlinked(FileStream handle)
    {
        if (!OperatingSystem.IsLinux()) return false;
        string fd = handle.SafeFileHandle.DangerousGetHandle().ToInt64().ToString(CultureInfo.InvariantCulture);
        return new FileInfo($"/proc/self/fd/{fd}").LinkTarget?.EndsWith(" (deleted)", StringComparison.Ordinal) ?? false;
    }

    /// <summary>True when a released lock's file is removed (see the remarks): where <see cref="IsUnlinked"/> can tell.</summary>
    public static bool RemovesLockFile => OperatingSystem.IsLinux();

    /// <summary>
    /// Releases the lock: the owner note goes first (so it never names a process that no longer holds it), then, on
    /// Linux, the lock file, while still locked; then the lock.
    /// </summary>
    public void Dispose()
    {
        try
        {
            File.Delete(_owner);
            if (RemovesLockFile) File.Delete(_path);
        }
        finally { _lock.Dispose(); }
    }
}
