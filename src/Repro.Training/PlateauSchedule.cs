using Repro.Core.Definitions;

namespace Repro.Training;

/// <summary>
/// One network's learning rate under the seed's ReduceLROnPlateau (mode "min", relative threshold 1e-4,
/// no cooldown, no floor, eps 1e-8), stepped on the mean of the last <see cref="SchedulerDefinition.Window"/>
/// minibatch losses, as <see cref="DsmTrainer"/> steps TorchSharp's scheduler
/// (<c>optim.lr_scheduler.ReduceLROnPlateau</c>, 0.107, itself PyTorch's <c>torch/optim/lr_scheduler.py</c>):
/// a loss is better when it is below best·(1 − 1e-4); after more than <c>patience</c> steps without a better
/// one the rate is multiplied by <c>factor</c> (when that lowers it by more than eps) and the count restarts.
/// Kept per network so that the members of an ensemble each follow their own schedule in one optimiser.
/// Without a scheduler the rate stays constant.
/// </summary>
public sealed class PlateauSchedule
{
    const double Threshold = 1e-4, Eps = 1e-8;
    readonly SchedulerDefinition? _rule;
    readonly Queue<double> _recent;
    double _recentSum;
    double _best = double.PositiveInfinity;
    int _badSteps;

    /// <summary>Starts at <paramref name="learningRate"/> under <paramref name="rule"/> (null: constant).</summary>
    public PlateauSchedule(double learningRate, SchedulerDefinition? rule)
    {
        LearningRate = learningRate;
        _rule = rule;
        _recent = new Queue<double>(rule?.Window ?? 1);
    }

    /// <summary>The learning rate in effect for the next optimiser step.</summary>
    public double LearningRate { get; private set; }

    /// <summary>Records one minibatch loss (after the optimiser step it came from, as the seed does).</summary>
    public void Step(double loss)
    {
        if (_rule is not { } rule) return;
        _recent.Enqueue(loss);
        _recentSum += loss;
        if (_recent.Count > rule.Window) _recentSum -= _recent.Dequeue();
        if (_recent.Count < rule.Window) return;
        double current = _recentSum / rule.Window;
        if (current < _best * (1 - Threshold))
        {
            _best = current;
            _badSteps = 0;
        }
        else _badSteps++;
        if (_badSteps > rule.Patience)
        {
            double reduced = Math.Max(LearningRate * rule.Factor, 0);
            if (LearningRate - reduced > Eps) LearningRate = reduced;
            _badSteps = 0;
        }
    }
}
