using System.Diagnostics;
using Repro.Core.Definitions;
using Repro.Core.Numerics;
using Repro.Core.Random;
using Repro.Core.Targets;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// One member of an ensemble trained by <see cref="EnsembleDsmTrainer"/>: its own training set, its own
/// training settings (σ, learning rate, scheduler; the batch size is the ensemble's) and its own
/// <c>train</c> stream, from which it draws minibatch indices (<c>Child("batches")</c>) and noise
/// (<c>Child("noise")</c>) exactly as <see cref="DsmTrainer"/> does for a single network.
/// </summary>
/// <param name="TrainingSet">The member's training set (n × d).</param>
/// <param name="Training">Its training settings; the objective must be <c>dsm</c> at one σ.</param>
/// <param name="Rng">Its <c>train</c> stream.</param>
/// <param name="Projection">The projection of noise onto the data's state space (zero centre of mass), or null on all of R^d.</param>
public sealed record EnsembleMember(Points TrainingSet, TrainingDefinition Training, RandomStream Rng, NoiseProjection? Projection = null);

/// <summary>
/// Trains E score networks of one shape (<see cref="EnsembleScoreNet"/>) by denoising score matching at
/// one σ each (Vincent 2011, eq. 5; the loss of <see cref="DsmLoss"/>) in one graph: one forward pass of
/// batched matrix products over the stacked minibatches [E, B, d], the ensemble loss Σ_e L_e written as the
/// sum of each member's own mean loss L_e, one backward pass and one Adam over all weights
/// (<see cref="EnsembleAdam"/>), with each member's ReduceLROnPlateau kept apart (<see cref="PlateauSchedule"/>).
/// </summary>
/// <remarks>
/// <para><b>Guarantee.</b> A member's result (its loss and learning-rate trace, its divergence step and its
/// weights, bit for bit) depends only on its own <see cref="EnsembleMember"/>, its <c>init</c> stream, the
/// ensemble's batch size and step count and the thread count: not on which other members share the ensemble,
/// nor on E. Why: ∂(Σ_e L_e)/∂θ_e = ∂L_e/∂θ_e exactly (the sum's gradient passes 1 to each term, and no other
/// term reads θ_e); each batched product computes member e's slice from member e's inputs alone; Adam and the
/// schedule are per element and per member. A member that diverges (a non-finite loss) stops there, as a
/// single network does, without touching the others' gradients. Tested bit for bit
/// (<c>EnsembleDsmTrainerTests</c>): member e of an ensemble against the same member trained alone as a
/// [1, in, out] stack, with different seeds, σ, data, learning rates and schedules in the ensemble, and the
/// E = 1 stack against <see cref="DsmTrainer"/>'s single network.</para>
/// <para>The noisy input x̃ = x₀ + σε and the target −ε/σ are formed in float32 on the C# side with the
/// arithmetic of the tensor operations <see cref="DsmLoss"/> uses (a fused multiply-add, as libtorch's
/// vectorised <c>add(…, alpha)</c>; a true division), which lets every member have its own σ.</para>
/// </remarks>
public static class EnsembleDsmTrainer
{
    /// <summary>
    /// Trains every member of <paramref name="network"/> in place for <paramref name="steps"/> steps (fewer for a
    /// member that diverges) and returns each member's record, in member order. Each record's
    /// <see cref="TrainingRecord.Seconds"/> is the member's share (1/E) of the loop's wall time.
    /// </summary>
    /// <param name="network">The ensemble, member e initialised from member e's <c>init</c> stream.</param>
    /// <param name="members">One entry per member of <paramref name="network"/>, in the same order.</param>
    /// <param name="batchSize">Minibatch size B (each member draws min(B, n) rows).</param>
    /// <param name="steps">Optimiser steps.</param>
    /// <param name="progress">Called with the step every few steps; may be null.</param>
    /// <exception cref="ArgumentException">The members do not match the network, differ in effective batch size or
    /// dimension, or an objective is not single-σ DSM.</exception>
    public static IReadOnlyList<TrainingRecord> Train(EnsembleScoreNet network, IReadOnlyList<EnsembleMember> members,
        int batchSize, int steps, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(members);
        int count = network.Members, d = network.Dimension;
        if (members.Count != count) throw new ArgumentException($"{members.Count} members for an ensemble of {count}", nameof(members));
        int batch = Math.Min(batchSize, members[0].TrainingSet.Count);
        foreach (var m in members)
        {
            if (m.TrainingSet.Dimension != d) throw new ArgumentException($"a training set of dimension {m.TrainingSet.Dimension} for networks of dimension {d}", nameof(members));
            if (Math.Min(batchSize, m.TrainingSet.Count) != batch) throw new ArgumentException("members whose minibatches differ in size cannot share an ensemble", nameof(members));
            if (m.Training.Objective is not DsmObjective) throw new ArgumentException($"objective \"{m.Training.Objective.KindName}\" is not single-σ DSM", nameof(members));
        }

        var data = members.Select(m => Array.ConvertAll(m.TrainingSet.Data, v => (float)v)).ToArray();
        var sigmas = members.Select(m => (float)m.Training.Sigma).ToArray();
        var batches = members.Select(m => m.Rng.Child("batches")).ToArray();
        var noise = members.Select(m => m.Rng.Child("noise")).ToArray();
        var schedules = members.Select(m => new PlateauSchedule(m.Training.LearningRate, m.Training.Scheduler)).ToArray();
        var losses = members.Select(_ => new List<double>(steps)).ToArray();
        var rates = members.Select(_ => new List<double>(steps)).ToArray();
        var diverged = new int?[count];
        var frozen = new Tensor[]?[count];   // a diverged member's weights as they were when its loss left the reals
        var learningRates = new double[count];

        int block = batch * d;
        var xTilde = new float[count * block];
        var target = new float[count * block];
        var eps = new float[block];
        var row = new double[d];
        var indices = new int[batch];
        using var optimizer = new EnsembleAdam(network.Flat, network.FlatGrad, network.MemberOf, count);
        network.train();
        var clock = Stopwatch.StartNew();
        for (int step = 1; step <= steps; step++)
        {
            for (int e = 0; e < count; e++)
            {
                if (diverged[e] is not null) continue; // its slice no longer matters: the last draws stay
                Draw(members[e], batches[e], noise[e], indices, d, eps, row);
                float sigma = sigmas[e], negSigma = -sigma;
                var x = data[e];
                for (int i = 0, k = e * block; i < batch; i++)
                {
                    int source = indices[i] * d;
                    for (int j = 0; j < d; j++, k++)
                    {
                        float epsilon = eps[i * d + j];
                        // DsmLoss: x0.add(ε, alpha: σ) (libtorch: fmadd(ε, σ, x0)) and ε.div(−σ).
                        xTilde[k] = MathF.FusedMultiplyAdd(epsilon, sigma, x[source + j]);
                        target[k] = epsilon / negSigma;
                    }
                }
            }

            float[] values;
            using (var scope = NewDisposeScope())
            {
                var input = tensor(xTilde, [count, batch, d]);
                var goal = tensor(target, [count, batch, d]);
                var perMember = network.forward(input).sub(goal).square().mean([1, 2]);
                optimizer.ZeroGrad();
                perMember.sum().backward();
                values = perMember.data<float>().ToArray();
            }

            bool running = false;
            for (int e = 0; e < count; e++)
            {
                learningRates[e] = schedules[e].LearningRate;
                if (diverged[e] is not null) continue;
                rates[e].Add(schedules[e].LearningRate);
                losses[e].Add(values[e]);
                if (double.IsFinite(values[e])) running = true;
                else
                {
                    diverged[e] = step;
                    using (no_grad()) frozen[e] = network.Stacked.Select(p => p[e].clone()).ToArray();
                }
            }
            if (!running) break;
            optimizer.Step(learningRates);
            for (int e = 0; e < count; e++)
                if (diverged[e] is null) schedules[e].Step(values[e]);
            if (progress is not null && (step % 50 == 0 || step == steps)) progress(step);
        }
        clock.Stop();
        // A single network stops at its diverged step without updating: so does the member (the optimiser
        // went on moving its slice, which no other member reads).
        using (no_grad())
            for (int e = 0; e < count; e++)
                if (frozen[e] is { } weights)
                    foreach (var (p, w) in network.Stacked.Zip(weights))
                    {
                        using var slice = p[e];
                        slice.copy_(w);
                        w.Dispose();
                    }
        network.eval();
        double share = clock.Elapsed.TotalSeconds / count;
        return Enumerable.Range(0, count).Select(e => new TrainingRecord(losses[e], rates[e], diverged[e], share)).ToArray();
    }

    /// <summary>Draws one member's minibatch indices and noise in <see cref="DsmTrainer"/>'s and <see cref="DsmLoss"/>'s order.</summary>
    static void Draw(EnsembleMember member, RandomStream batches, RandomStream noise, int[] indices, int d, float[] eps, double[] row)
    {
        int n = member.TrainingSet.Count, batch = indices.Length;
        for (int i = 0; i < batch; i++) indices[i] = batches.NextInt(n);
        if (member.Projection is not { } projection)
            for (int i = 0; i < eps.Length; i++) eps[i] = (float)noise.NextGaussian();
        else
            for (int i = 0; i < batch; i++)
            {
                for (int j = 0; j < d; j++) row[j] = noise.NextGaussian();
                projection(row);
                for (int j = 0; j < d; j++) eps[i * d + j] = (float)row[j];
            }
    }
}
