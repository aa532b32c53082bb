namespace Repro.Results;

/// <summary>Per-reconstruction figures, as stored in <c>run.json</c>.</summary>
/// <param name="Name">The reconstruction's name in the definition.</param>
/// <param name="Particles">Particles sampled.</param>
/// <param name="Steps">Sampler steps.</param>
/// <param name="Seconds">Sampling wall time, seconds.</param>
/// <param name="ScoreSigma">σ of the score source the sampler used.</param>
public sealed record ReconstructionSummary(string Name, int Particles, int Steps, double Seconds, double ScoreSigma);
