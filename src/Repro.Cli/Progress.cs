using Spectre.Console;

namespace Repro.Cli;

/// <summary>
/// A progress bar per task on an interactive terminal; in CI or when output is redirected,
/// a plain line per stage instead (no control characters in logs).
/// </summary>
public static class Progress
{
    /// <summary>Runs <paramref name="work"/>, which reports (stage, fraction) through the callback.</summary>
    public static T Run<T>(IAnsiConsole console, string label, Func<Action<string, double>, T> work)
    {
        if (!console.Profile.Capabilities.Interactive || Console.IsOutputRedirected || Environment.GetEnvironmentVariable("CI") is not null)
        {
            string? last = null;
            return work((stage, _) =>
            {
                if (stage == last) return;
                last = stage;
                console.WriteLine($"{label}: {stage}");
            });
        }
        T result = default!;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                ProgressTask? task = null;
                string? current = null;
                result = work((stage, fraction) =>
                {
                    if (stage != current)
                    {
                        task?.StopTask();
                        current = stage;
                        task = ctx.AddTask($"{Markup.Escape(label)}: {Markup.Escape(stage)}", maxValue: 1.0);
                    }
                    task!.Value = Math.Clamp(fraction, 0, 1);
                });
                task?.StopTask();
            });
        return result;
    }
}
