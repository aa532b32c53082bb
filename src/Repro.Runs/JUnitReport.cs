using System.Xml.Linq;
using Repro.Core.Evaluation;

namespace Repro.Runs;

/// <summary>JUnit XML of gate verdicts: one test suite per experiment, one test case per gate and seed.</summary>
public static class JUnitReport
{
    /// <summary>Writes the verdicts to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IReadOnlyList<GateVerdict> verdicts)
    {
        var suites = new XElement("testsuites",
            new XAttribute("name", "repro gates"),
            new XAttribute("tests", verdicts.Count),
            new XAttribute("failures", verdicts.Count(v => !v.Passed)));
        foreach (var group in verdicts.GroupBy(v => v.Experiment))
        {
            var suite = new XElement("testsuite",
                new XAttribute("name", group.Key),
                new XAttribute("tests", group.Count()),
                new XAttribute("failures", group.Count(v => !v.Passed)));
            foreach (var v in group)
            {
                var testCase = new XElement("testcase", new XAttribute("classname", group.Key), new XAttribute("name", v.Id));
                if (!v.Passed) testCase.Add(new XElement("failure", new XAttribute("message", v.Message), v.Message));
                suite.Add(testCase);
            }
            suites.Add(suite);
        }
        AtomicFile.WriteText(path, new XDocument(new XDeclaration("1.0", "utf-8", null), suites).ToString() + "\n");
    }
}
