using System.Globalization;
using System.Xml.Linq;
using Repro.Core.Definitions;
using Repro.Core.Evaluation;

namespace Repro.Results.Tests;

/// <summary>
/// The JUnit XML obeys the rules the two strict readers' schemas state, written here from their
/// documented requirements (the schema files are not copied): Jenkins xUnit's junit-10.xsd and Maven
/// Surefire's surefire-test-report.xsd.
/// </summary>
public sealed class JUnitReportTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("repro-junit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static readonly GateDefinition Gate = new("ks-pvalue", "forward-backward", "p-sigma", ">=", 2.5e-4, GateDefinition.EachSeed, "Bonferroni share");

    static List<string> Violations(XDocument doc)
    {
        var problems = new List<string>();
        bool IsInt(XElement e, string a) => e.Attribute(a) is { } x && int.TryParse(x.Value, NumberStyles.None, CultureInfo.InvariantCulture, out _);
        bool IsDecimal(XElement e, string a) => e.Attribute(a) is { } x && decimal.TryParse(x.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out _);
        var root = doc.Root!;
        if (root.Name != "testsuites") problems.Add("root is not testsuites");
        foreach (var child in root.Elements().Where(e => e.Name != "testsuite")) problems.Add($"testsuites holds {child.Name}");
        foreach (var suite in root.Elements("testsuite"))
        {
            // junit-10.xsd: name, tests, failures, errors required; Surefire adds skipped and time.
            if (suite.Attribute("name") is null) problems.Add("testsuite without name");
            foreach (var a in new[] { "tests", "failures", "errors", "skipped" })
                if (!IsInt(suite, a)) problems.Add($"testsuite {suite.Attribute("name")?.Value}: {a} missing or not an integer");
            if (!IsDecimal(suite, "time")) problems.Add("testsuite: time missing or not a decimal");
            // Children in order: properties?, testcase*, system-out?, system-err?.
            var order = suite.Elements().Select(e => e.Name.LocalName).ToList();
            var allowed = new[] { "properties", "testcase", "system-out", "system-err" };
            var ranks = order.Select(n => Array.IndexOf(allowed, n)).ToList();
            if (ranks.Any(r => r < 0)) problems.Add($"testsuite holds {string.Join(",", order.Where(n => !allowed.Contains(n)))}");
            if (!ranks.SequenceEqual(ranks.Order())) problems.Add("testsuite children out of order");
            if (order.Count(n => n == "properties") > 1) problems.Add("more than one properties");
            foreach (var p in suite.Elements("properties").Elements())
                if (p.Name != "property" || p.Attribute("name") is null || p.Attribute("value") is null) problems.Add("a property needs name and value");
            var cases = suite.Elements("testcase").ToList();
            if (suite.Attribute("tests")?.Value != cases.Count.ToString(CultureInfo.InvariantCulture)) problems.Add("tests is not the number of testcases");
            if (suite.Attribute("failures")?.Value != cases.Count(c => c.Element("failure") is not null).ToString(CultureInfo.InvariantCulture))
                problems.Add("failures is not the number of failing testcases");
            foreach (var c in cases)
            {
                // Both schemas: name; Surefire: time (and classname is what groups them); nothing else the Jenkins schema lacks.
                if (c.Attribute("name") is null) problems.Add("testcase without name");
                if (c.Attribute("classname") is null) problems.Add("testcase without classname");
                if (!IsDecimal(c, "time")) problems.Add("testcase: time missing or not a decimal");
                foreach (var a in c.Attributes().Select(a => a.Name.LocalName).Except(["name", "classname", "time", "assertions", "status"]))
                    problems.Add($"testcase attribute {a} breaks junit-10.xsd");
                var kids = c.Elements().Select(e => e.Name.LocalName).ToList();
                var caseAllowed = new[] { "skipped", "error", "failure", "system-out", "system-err" };
                if (kids.Any(k => !caseAllowed.Contains(k))) problems.Add($"testcase holds {string.Join(",", kids.Where(k => !caseAllowed.Contains(k)))}");
                if (kids.Count(k => k is "skipped" or "error" or "failure") > 1) problems.Add("testcase with more than one outcome");
                int firstOut = kids.FindIndex(k => k is "system-out" or "system-err");
                if (firstOut >= 0 && kids.Skip(firstOut).Any(k => k is "skipped" or "error" or "failure")) problems.Add("testcase outcome after its output");
                foreach (var f in c.Elements("failure"))
                {
                    if (f.Attribute("message") is null || f.Attribute("type") is null) problems.Add("failure needs message and type (Surefire)");
                    foreach (var a in f.Attributes().Select(a => a.Name.LocalName).Except(["message", "type"])) problems.Add($"failure attribute {a}");
                }
            }
        }
        return problems;
    }

    [Fact]
    public void The_xml_obeys_junit_10_and_surefire_rules_and_says_value_and_threshold()
    {
        var verdicts = new List<GateVerdict>
        {
            new("exp-a", Gate, 1, 0.4, true),
            new("exp-a", Gate, 2, 1e-6, false),
            new("exp-b", Gate, 1, double.NaN, false) { Missing = true },
        };
        string path = Path.Combine(_dir, "gates.xml");

        JUnitReport.Write(path, verdicts, new Dictionary<string, string> { ["mode"] = "quick", ["version"] = "test" });

        var doc = XDocument.Load(path);
        Assert.Empty(Violations(doc));
        var cases = doc.Descendants("testcase").ToList();
        Assert.Equal("forward-backward/p-sigma/ks-pvalue/seed-1", cases[0].Attribute("name")!.Value);
        Assert.Contains("value 0.4; gate >= 0.00025", cases[0].Element("system-out")!.Value);
        Assert.Equal("gate-missed", cases[1].Element("failure")!.Attribute("type")!.Value);
        Assert.Equal("missing-result", cases[2].Element("failure")!.Attribute("type")!.Value);
        Assert.Equal("quick", doc.Descendants("property").First(p => p.Attribute("name")!.Value == "mode").Attribute("value")!.Value);
    }

    [Fact]
    public void A_seed_without_results_is_a_failing_test_case_so_the_file_is_not_all_green_when_the_exit_is_1()
    {
        var verdicts = new List<GateVerdict> { new("exp-a", Gate, 1, 0.4, true) };
        var missing = new List<MissingSeed> { new("exp-a", 2, "exp-a: seed 2 has no finished results in out; compute: repro run exp-a --seed 2 --out out"), new("exp-c", 1, "exp-c: seed 1 …") };
        string path = Path.Combine(_dir, "gates.xml");

        JUnitReport.Write(path, verdicts, quick: true, missing: missing);

        var doc = XDocument.Load(path);
        Assert.Empty(Violations(doc));
        Assert.Equal("3", doc.Root!.Attribute("tests")!.Value);
        Assert.Equal("2", doc.Root!.Attribute("failures")!.Value);
        var a = doc.Descendants("testsuite").Single(s => s.Attribute("name")!.Value == "exp-a");
        var failed = a.Elements("testcase").Single(c => c.Element("failure") is not null);
        Assert.Equal("results/quick-seed-2", failed.Attribute("name")!.Value);
        Assert.Equal("missing-result", failed.Element("failure")!.Attribute("type")!.Value);
        Assert.Contains("compute: repro run exp-a --seed 2", failed.Element("failure")!.Attribute("message")!.Value);
        // An experiment with no result at all still gets its suite, holding only its failures.
        var c = doc.Descendants("testsuite").Single(s => s.Attribute("name")!.Value == "exp-c");
        Assert.Equal("1", c.Attribute("failures")!.Value);
    }

    [Fact]
    public void The_rules_catch_what_the_strict_readers_reject()
    {
        // A suite without errors, a testcase with file/line and properties: what the xUnit plugin refused.
        var bad = XDocument.Parse("""
            <testsuites><testsuite name="x" tests="1" failures="0"><testcase name="a" classname="x" file="e.json" line="3"><properties/></testcase></testsuite></testsuites>
            """);
        var problems = Violations(bad);
        Assert.Contains(problems, p => p.Contains("errors missing"));
        Assert.Contains(problems, p => p.Contains("testcase attribute file"));
        Assert.Contains(problems, p => p.Contains("testcase holds properties"));
        Assert.Contains(problems, p => p.Contains("testcase: time missing"));
    }

    [Fact]
    public void A_failure_body_starts_with_the_definition_file_and_line_of_the_threshold()
    {
        var gate = Gate with { Line = 42 };
        var verdicts = new List<GateVerdict> { new("exp-a", gate, 2, 1e-6, false), new("exp-b", gate, 1, 1e-6, false) };
        string path = Path.Combine(_dir, "gates.xml");

        JUnitReport.Write(path, verdicts, definitionFiles: new Dictionary<string, string> { ["exp-a"] = "experiments/exp-a.json" });

        var failures = XDocument.Load(path).Descendants("failure").ToList();
        Assert.StartsWith("experiments/exp-a.json:42: ks-pvalue of forward-backward against p-sigma: 1E-06 >= 0.00025 fails", failures[0].Value);
        // No file known for exp-b: the body says what failed, without a location.
        Assert.StartsWith("ks-pvalue of forward-backward", failures[1].Value);
        Assert.Empty(Violations(XDocument.Load(path)));
    }

    [Fact]
    public void A_gate_not_judged_at_quick_sizes_is_skipped_with_its_reason_not_failed()
    {
        var verdicts = new List<GateVerdict>
        {
            new("exp-a", Gate, 1, 1e-6, false),
            new("exp-a", Gate with { Metric = "ks-statistic", Comparator = "<=", Threshold = 0.07 }, 1, 0.08, false) { NotJudged = "threshold calibrated at the full sizes" },
        };
        string path = Path.Combine(_dir, "gates.xml");

        JUnitReport.Write(path, verdicts, quick: true);

        var doc = XDocument.Load(path);
        Assert.Empty(Violations(doc));
        var suite = doc.Descendants("testsuite").Single();
        Assert.Equal("1", suite.Attribute("failures")!.Value);
        Assert.Equal("1", suite.Attribute("skipped")!.Value);
        var skipped = Assert.Single(doc.Descendants("skipped"));
        Assert.Equal("not judged: threshold calibrated at the full sizes", skipped.Attribute("message")!.Value);
        Assert.Contains("not judged", skipped.Parent!.Element("system-out")!.Value);
    }

    [Fact]
    public void Quick_and_full_results_get_distinct_test_case_names()
    {
        var verdicts = new List<GateVerdict> { new("exp-a", Gate, 1, 0.4, true), new("exp-a", Gate with { Over = GateDefinition.MeanOverSeeds }, null, 0.4, true) };
        string full = Path.Combine(_dir, "full.xml"), quick = Path.Combine(_dir, "quick.xml");

        JUnitReport.Write(full, verdicts);
        JUnitReport.Write(quick, verdicts, quick: true);

        var fullNames = XDocument.Load(full).Descendants("testcase").Select(c => c.Attribute("name")!.Value).ToArray();
        var quickNames = XDocument.Load(quick).Descendants("testcase").Select(c => c.Attribute("name")!.Value).ToArray();
        Assert.Equal(["forward-backward/p-sigma/ks-pvalue/seed-1", "forward-backward/p-sigma/ks-pvalue/mean"], fullNames);
        Assert.Equal(["forward-backward/p-sigma/ks-pvalue/quick-seed-1", "forward-backward/p-sigma/ks-pvalue/quick-mean"], quickNames);
    }

    [Fact]
    public void Every_gate_knows_the_line_of_its_threshold_in_its_definition()
    {
        string experiments = Path.Combine(Repro.Tests.Shared.RepoRoot.Path, "experiments");
        foreach (var definition in ExperimentDefinition.LoadAll(experiments))
        {
            // Independently: the k-th "threshold" key after the "gates" key, counted in the file's lines.
            var lines = File.ReadAllLines(definition.SourceFile);
            int gatesLine = Array.FindIndex(lines, l => l.Contains("\"gates\"", StringComparison.Ordinal));
            var thresholds = Enumerable.Range(0, lines.Length).Where(i => i > gatesLine && lines[i].Contains("\"threshold\"", StringComparison.Ordinal)).Select(i => i + 1).ToArray();
            Assert.Equal(thresholds.Take(definition.Gates.Count), definition.Gates.Select(g => g.Line));
            Assert.Equal(definition.Gates.Count, thresholds.Length);
        }
    }

    [Fact]
    public void A_controls_expected_failure_passes_saying_so_and_an_unexpected_pass_fails_with_its_own_type()
    {
        var control = new GateDefinition("equivariance-error-rotation", "training", "p-sigma", "<=", 1e-4, GateDefinition.MeanOverSeeds, "a control")
            { ExpectsFailure = true };
        var verdicts = new List<GateVerdict>
        {
            new("mlp", control, null, 0.85, control.Holds(0.85)),
            new("mlp-equivariant", control, null, 2e-7, control.Holds(2e-7)),
        };
        string path = Path.Combine(_dir, "controls.xml");

        JUnitReport.Write(path, verdicts);

        var doc = XDocument.Load(path);
        Assert.Empty(Violations(doc));
        var cases = doc.Descendants("testcase").ToDictionary(c => c.Attribute("classname")!.Value);
        Assert.Null(cases["mlp"].Element("failure"));
        Assert.Contains("expected to fail: a control); fails as expected", cases["mlp"].Element("system-out")!.Value);
        var failure = cases["mlp-equivariant"].Element("failure")!;
        Assert.Equal("unexpected-pass", failure.Attribute("type")!.Value);
        Assert.Contains("holds, but this control is expected to miss it", failure.Value);
        Assert.Equal("1", doc.Root!.Attribute("failures")!.Value);
    }
}
