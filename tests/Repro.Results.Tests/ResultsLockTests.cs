using Repro.Core;

namespace Repro.Results.Tests;

/// <summary>
/// The results lock leaves nothing beside the folder once released, and still refuses a second writer with one line.
/// </summary>
public sealed class ResultsLockTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-lock-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_released_lock_leaves_no_file_beside_the_results_and_a_held_one_refuses_a_second_writer()
    {
        string folder = Path.Combine(_dir, "results");
        using (ResultsLock.Acquire(folder, "run"))
        {
            Assert.True(File.Exists(ResultsLock.LockOf(folder)));
            var refused = Assert.Throws<InputException>(() => ResultsLock.Acquire(folder, "report"));
            Assert.Contains($"{folder}: in use by pid {Environment.ProcessId} (`repro run`, started ", refused.Message);
            Assert.DoesNotContain('\n', refused.Message);
        }
        // Released: nothing is left beside the folder (Linux: the lock file goes too; elsewhere it is kept).
        string[] left = Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).ToArray()!;
        Assert.Equal(ResultsLock.RemovesLockFile ? [] : ["results.lock"], left);

        // The next writer takes it again, and is again the only one.
        using (ResultsLock.Acquire(folder, "run"))
            Assert.Throws<InputException>(() => ResultsLock.Acquire(folder, "run"));
        Assert.Equal(ResultsLock.RemovesLockFile ? [] : ["results.lock"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).ToArray());
    }

    [Fact]
    public void A_lock_on_a_file_that_was_unlinked_meanwhile_is_seen_as_such()
    {
        // What Acquire checks after winning the lock: the previous holder may have unlinked the name between our open
        // and our lock, and a lock on that orphan would not exclude a writer who opens the name afresh.
        if (!ResultsLock.RemovesLockFile) return; // the lock file is kept where this cannot be read
        string path = Path.Combine(_dir, "orphan.lock");
        using var handle = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        Assert.False(ResultsLock.IsUnlinked(handle));
        File.Delete(path);
        Assert.True(ResultsLock.IsUnlinked(handle));
    }
}
