using System.Globalization;
using System.Xml.Linq;
using Repro.Core.Evaluation;

namespace Repro.Results;

/// <summary>
/// JUnit XML of gate verdicts: one test suite per experiment, one test case per gate and seed, in the
/// shape both strict readers validate: Jenkins xUnit's <c>junit-10.xsd</c> (testsuite needs name, tests,
/// failures and errors; properties only on the suite; testcase children failure then system-out) and
/// Maven Surefire's report schema (testsuite also skipped and time; testcase name, classname and time;
/// failure message and type).
/// </summary>
public static class JUnitReport
{
    /// <summary>Writes the verdicts to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The XML file.</param>
    /// <param name="verdicts">Every verdict to report.</param>
    /// <param name="context">Run context written as suite properties (e.g. mode, version); may be empty.</param>
    /// <param name="quick">The verdicts judge quick runs: test-case names say <c>quick-seed-S</c>, so quick and full results never share a name.</param>
    /// <param name="definitionFiles">Each experiment's definition file as annotations should name it (relative to the repository root,
    /// e.g. <c>experiments/dsm-2d-two-blobs.json</c>); a failure's body then starts with <c>FILE:LINE</c> of the gate's threshold.</param>
    /// <param name="missing">Seeds a definition lists that have no finished result: each is a failing test case
    /// <c>results/seed-S</c> of type <c>missing-result</c> in its experiment's suite, so a CI reader shows the
    /// same failure the command's exit code 1 reports (a run that gated only what exists is not all green).</param>
    /// <param name="suiteProperties">Per experiment, properties of its suite after <paramref name="context"/>'s (e.g. the definition hash and
    /// the code identity of each judged result).</param>
    /// <param name="notCurrent">Why a verdict judges a result that is not current (made by other code than this build), or null when it is current:
    /// said in the case's output; with <paramref name="strict"/> a judged verdict it names fails (type <c>not-current</c>).</param>
    /// <param name="strict">Fail the verdicts <paramref name="notCurrent"/> names, as <c>check --strict</c> exits 1 on them.</param>
    public static void Write(string path, IReadOnlyList<GateVerdict> verdicts, IReadOnlyDictionary<string, string>? context = null,
        bool quick = false, IReadOnlyDictionary<string, string>? definitionFiles = null, IReadOnlyList<MissingSeed>? missing = null,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? suiteProperties = null, Func<GateVerdict, string?>? notCurrent = null,
        bool strict = false)
    {
        const string zero = "0";
        missing ??= [];
        string? NotCurrent(GateVerdict v) => notCurrent?.Invoke(v);
        // A verdict that holds on a result of other code: a failure under --strict, as check's exit code says.
        bool FailsAsNotCurrent(GateVerdict v) => strict && v.Judged && v.Passed && NotCurrent(v) is not null;
        int Failures(IEnumerable<GateVerdict> group) => group.Count(v => v.Failed || FailsAsNotCurrent(v));
        var suites = new XElement("testsuites",
            new XAttribute("name", "repro gates"),
            new XAttribute("tests", verdicts.Count + missing.Count),
            new XAttribute("failures", Failures(verdicts) + missing.Count),
            new XAttribute("errors", zero),
            new XAttribute("time", zero));
        var experiments = verdicts.Select(v => v.Experiment).Concat(missing.Select(m => m.Experiment)).Distinct().ToList();
        foreach (string experiment in experiments)
        {
            var group = verdicts.Where(v => v.Experiment == experiment).ToList();
            var absent = missing.Where(m => m.Experiment == experiment).ToList();
            var suite = new XElement("testsuite",
                new XAttribute("name", experiment),
                new XAttribute("tests", group.Count + absent.Count),
                new XAttribute("failures", Failures(group) + absent.Count),
                new XAttribute("errors", zero),
                new XAttribute("skipped", group.Count(v => !v.Judged)),
                new XAttribute("time", zero));
            var properties = (context ?? new Dictionary<string, string>()).Concat(
                suiteProperties is not null && suiteProperties.TryGetValue(experiment, out var own) ? own : new Dictionary<string, string>()).ToList();
            if (properties.Count > 0)
                suite.Add(new XElement("properties", properties.Select(p => new XElement("property", new XAttribute("name", p.Key), new XAttribute("value", p.Value)))));
            foreach (var v in group)
            {
                // The experiment is the class; the name is the rest of the gate id, its seed part named like the results folder.
                string name = $"{v.Gate.Reconstruction}/{v.Gate.Reference}/{v.Gate.Metric}/{(quick ? "quick-" : "")}{(v.Seed is long seed ? "seed-" + seed.ToString(CultureInfo.InvariantCulture) : "mean")}";
                // Annotating readers (GitHub, GitLab) take FILE:LINE from the failure body to point at the threshold.
                string where = definitionFiles is not null && definitionFiles.TryGetValue(experiment, out string? file) && v.Gate.Line > 0
                    ? $"{file}:{v.Gate.Line.ToString(CultureInfo.InvariantCulture)}: " : "";
                var testCase = new XElement("testcase", new XAttribute("name", name), new XAttribute("classname", experiment), new XAttribute("time", zero));
                // A quick run's gate whose threshold is calibrated at the full sizes: skipped, saying why (both schemas allow skipped's message).
                if (!v.Judged)
                    testCase.Add(new XElement("skipped", new XAttribute("message", $"not judged: {v.NotJudged}")));
                else if (!v.Passed)
                    testCase.Add(new XElement("failure",
                        new XAttribute("message", v.Message),
                        new XAttribute("type", v.Diverged is not null ? "diverged" : v.Missing ? "missing-result" : double.IsNaN(v.Value) ? "undefined-statistic" : v.UnexpectedPass ? "unexpected-pass" : "gate-missed"),
                        $"{where}{v.Gate.Metric} of {v.Gate.Reconstruction} against {v.Gate.Reference}: {v.ValueText} {v.Gate.Comparator} {v.Gate.Threshold.ToString("R", CultureInfo.InvariantCulture)} "
                        + (v.UnexpectedPass ? "holds, but this control is expected to miss it" : "fails") + " (threshold set in the experiment definition's gates)"));
                else if (FailsAsNotCurrent(v))
                    testCase.Add(new XElement("failure",
                        new XAttribute("message", $"{NotCurrent(v)} (--strict fails verdicts on results that are not current)"),
                        new XAttribute("type", "not-current"),
                        $"{where}{v.Gate.Metric} of {v.Gate.Reconstruction} against {v.Gate.Reference}: {v.ValueText} holds, but {NotCurrent(v)}"));
                // A control's gate that holds (the control misses its threshold) is a passing case whose output says so.
                testCase.Add(new XElement("system-out",
                    $"value {v.ValueText}; gate {v.Gate.Comparator} {v.Gate.Threshold.ToString("R", CultureInfo.InvariantCulture)} ({v.Gate.Over}"
                    + (v.Gate.ExpectsFailure ? "; expected to fail: a control" : "") + $"); {v.VerdictText}; reason: {v.Gate.Reason}"
                    + (NotCurrent(v) is { } note ? $"; {note}" : "")));
                suite.Add(testCase);
            }
            foreach (var m in absent)
            {
                string name = $"results/{(quick ? "quick-" : "")}seed-{m.Seed.ToString(CultureInfo.InvariantCulture)}";
                suite.Add(new XElement("testcase", new XAttribute("name", name), new XAttribute("classname", experiment), new XAttribute("time", zero),
                    new XElement("failure", new XAttribute("message", m.Message), new XAttribute("type", "missing-result"), m.Message)));
            }
            suites.Add(suite);
        }
        AtomicFile.WriteText(path, new XDocument(new XDeclaration("1.0", "utf-8", null), suites).ToString() + "\n");
    }
}

/// <summary>A seed a definition lists that has no finished (or only a stale) result, as the JUnit file reports it.</summary>
/// <param name="Experiment">The experiment (a sweep variant: BASE/sweep/PARAM-VALUE), the test suite it belongs to.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Message">One line: what is missing and the command that computes it.</param>
public sealed record MissingSeed(string Experiment, long Seed, string Message);
