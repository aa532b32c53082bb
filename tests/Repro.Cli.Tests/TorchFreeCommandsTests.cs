using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Repro.Cli.Tests;

/// <summary>
/// <c>repro report</c> and <c>repro check</c> read results through Repro.Results only, so they run
/// with TorchSharp and libtorch gone: the built command's folder is copied (files linked, TorchSharp's
/// and libtorch's assets left out, as listed in <c>repro.deps.json</c>) and both commands are run
/// from the copy as separate processes on freshly stored quick results. <c>repro run</c> from the
/// same copy must fail, which shows the copy really lacks TorchSharp.
/// </summary>
public sealed class TorchFreeCommandsTests : ControlInTempFolder
{
    /// <summary>The built command's folder, in the configuration these tests were built in.</summary>
    static string CliOutput()
    {
        // …/tests/Repro.Cli.Tests/bin/CONFIG/TFM/
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string folder = Path.Combine(RepoPaths.Root, "src", "Repro.Cli", "bin", tfm.Parent!.Name, tfm.Name);
        Assert.True(File.Exists(Path.Combine(folder, "repro.dll")), $"{folder}: the command is not built (make test builds it)");
        return folder;
    }

    /// <summary>The files of TorchSharp's and libtorch's packages, relative to the output folder, from its deps.json.</summary>
    static HashSet<string> TorchAssets(string output)
    {
        var deps = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "repro.deps.json")))!;
        var assets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in deps["targets"]!.AsObject())
            foreach (var package in target.Value!.AsObject())
            {
                if (!package.Key.StartsWith("TorchSharp", StringComparison.Ordinal) && !package.Key.StartsWith("libtorch", StringComparison.Ordinal)) continue;
                // Managed assemblies land beside repro.dll; native ones keep their runtimes/RID/native/ path.
                foreach (var a in package.Value!["runtime"]?.AsObject() ?? []) assets.Add(Path.GetFileName(a.Key));
                foreach (var a in package.Value!["runtimeTargets"]?.AsObject() ?? []) assets.Add(a.Key);
            }
        return assets;
    }

    /// <summary>A copy of <paramref name="output"/> without <paramref name="left"/>; the command's own files are copied, the rest linked.</summary>
    string CopyWithout(string output, HashSet<string> left)
    {
        string copy = Path.Combine(Dir, "repro-without-torch");
        foreach (string file in Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(output, file).Replace(Path.DirectorySeparatorChar, '/');
            if (left.Contains(relative)) continue;
            string to = Path.Combine(copy, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            // The host resolves the application's own path, so repro.* must really live in the copy.
            if (Path.GetFileName(file).StartsWith("repro", StringComparison.Ordinal)) File.Copy(file, to);
            else File.CreateSymbolicLink(to, file);
        }
        return copy;
    }

    static (int ExitCode, string Out, string Error) Repro(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(folder, "repro.dll"));
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "repro did not finish in 5 minutes");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void Report_and_check_run_without_TorchSharp_and_run_does_not()
    {
        // Stored quick results of a trained experiment (loss, score tables) and of the exact-score control, one seed each.
        File.WriteAllText(Path.Combine(Experiments, "dsm-1d-two-gaussians.json"),
            File.ReadAllText(Path.Combine(RepoPaths.Experiments, "dsm-1d-two-gaussians.json")).Replace("\"seeds\": [1, 2, 3]", "\"seeds\": [1]"));
        File.WriteAllText(Path.Combine(Experiments, "ncsn-mode-weights.json"),
            File.ReadAllText(Path.Combine(Experiments, "ncsn-mode-weights.json")).Replace("\"seeds\": [1, 2, 3]", "\"seeds\": [1]"));
        var stored = CliRun.Of("run", "--experiments", Experiments, "--out", Out, "--quick");
        Assert.True(stored.ExitCode == ReproApp.Ok, stored.Error);

        string output = CliOutput();
        var torch = TorchAssets(output);
        Assert.Contains("TorchSharp.dll", torch);
        Assert.Contains("runtimes/linux-x64/native/libtorch_cpu.so", torch);
        string copy = CopyWithout(output, torch);
        Assert.False(File.Exists(Path.Combine(copy, "TorchSharp.dll")));
        Assert.Empty(Directory.EnumerateFiles(copy, "libtorch*", SearchOption.AllDirectories));

        var report = Repro(copy, "report", Out, "--quick", "--experiments", Experiments);
        Assert.True(report.ExitCode == ReproApp.Ok, report.Error);
        Assert.Contains("wrote", report.Out);
        Assert.True(File.Exists(Path.Combine(Out, "dsm-1d-two-gaussians", "figures", "score-field.png")));

        var check = Repro(copy, "check", Out, "--quick", "--experiments", Experiments);
        Assert.True(check.ExitCode == ReproApp.Ok, check.Error + check.Out);
        Assert.Matches(@"(\d+)/\1 judged gates pass", check.Out);

        var run = Repro(copy, "run", "ncsn-mode-weights", "--experiments", Experiments, "--out", Path.Combine(Dir, "again"), "--quick");
        Assert.NotEqual(ReproApp.Ok, run.ExitCode);
        Assert.Contains("TorchSharp", run.Error);
    }
}
