using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// make bench: every suite, each reporting the harness beside a baseline measured in the same run.
// In-process: the benchmarks run in this already-built output folder, whose libLibTorchSharp.so the
// build has patched for older libstdc++ (a generated out-of-process project would copy the original).
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("in-process"));
BenchmarkSwitcher.FromAssembly(typeof(Repro.Benchmarks.TrainingBenchmarks).Assembly).Run(args, config);
