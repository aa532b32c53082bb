using System.Reflection;

namespace Repro.Reporting.Tests;

/// <summary>The project graph keeps TorchSharp out of reporting (the process-level proof is Repro.Cli.Tests' TorchFreeCommandsTests).</summary>
public sealed class DependencyTests
{
    [Fact]
    public void Reporting_reaches_neither_Runs_nor_Training_nor_TorchSharp()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<Assembly>([typeof(ReportBuilder).Assembly]);
        while (queue.Count > 0)
            foreach (var name in queue.Dequeue().GetReferencedAssemblies())
                if (seen.Add(name.Name!) && name.Name!.StartsWith("Repro.", StringComparison.Ordinal))
                    queue.Enqueue(Assembly.Load(name));

        Assert.Contains("Repro.Results", seen);
        Assert.DoesNotContain("Repro.Runs", seen);
        Assert.DoesNotContain("Repro.Training", seen);
        Assert.DoesNotContain(seen, n => n.StartsWith("TorchSharp", StringComparison.Ordinal));
    }
}
