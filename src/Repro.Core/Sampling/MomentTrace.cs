using Repro.Core.Numerics;

namespace Repro.Core.Sampling;

/// <summary>
/// The per-coordinate mean and variance of all particles as a sampler runs, at step 0 and every
/// <c>stride</c> steps to the last: how the reconstruction's spread depends on the step count.
/// </summary>
/// <remarks>
/// States are kept per particle and reduced in particle order, so the trace does not depend on
/// how the particles were chunked.
/// </remarks>
public sealed class MomentTrace
{
    readonly int _particles, _dimension, _steps, _stride;
    readonly SortedDictionary<int, double[]> _states = new();

    /// <summary>A trace of <paramref name="particles"/> d-dimensional particles over <paramref name="steps"/> steps.</summary>
    public MomentTrace(int particles, int dimension, int steps, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(particles, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        (_particles, _dimension, _steps, _stride) = (particles, dimension, steps, stride);
    }

    /// <summary>True for the steps the trace keeps: 0, every stride, and the last.</summary>
    public bool Keeps(int step) => step % _stride == 0 || step == _steps;

    /// <summary>A <see cref="ISampler.Run"/> record callback for the particles <paramref name="first"/> onward of one chunk.</summary>
    public Action<int, Points> Observer(int first) => (step, x) =>
    {
        if (!Keeps(step)) return;
        if (first + x.Count > _particles) throw new ArgumentOutOfRangeException(nameof(first), "chunk runs past the traced particles");
        if (!_states.TryGetValue(step, out var state)) _states[step] = state = new double[_particles * _dimension];
        Array.Copy(x.Data, 0, state, first * _dimension, x.Data.Length);
    };

    /// <summary>(step, per-coordinate mean, per-coordinate sample variance) for every kept step, in step order.</summary>
    public IEnumerable<(int Step, double[] Mean, double[] Variance)> Moments()
    {
        foreach (var (step, state) in _states)
        {
            var mean = new double[_dimension];
            var variance = new double[_dimension];
            for (int k = 0; k < _dimension; k++)
            {
                double sum = 0;
                for (int i = 0; i < _particles; i++) sum += state[i * _dimension + k];
                double m = sum / _particles, squares = 0;
                for (int i = 0; i < _particles; i++)
                {
                    double e = state[i * _dimension + k] - m;
                    squares += e * e;
                }
                mean[k] = m;
                variance[k] = squares / (_particles - 1);
            }
            yield return (step, mean, variance);
        }
    }
}
