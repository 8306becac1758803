using System;
using System.Globalization;
using Spectre.Console;

namespace DiffGen.Samples.CurveFitting
{
    /// <summary>Command line: <c>dotnet run --project samples/CurveFitting [-- --quick] [--output DIR] [--steps N] [--seed N]</c>.</summary>
    public static class Program
    {
        /// <summary>Parses the arguments, runs the sample and returns the process exit code.</summary>
        /// <param name="args">The command-line arguments.</param>
        /// <returns>0 on success, 2 for a bad command line.</returns>
        public static int Main(string[] args)
        {
            IAnsiConsole console = AnsiConsole.Console;
            bool quick = CurveFittingOptions.QuickRequestedByEnvironment();
            string? output = null;
            int? steps = null;
            int? seed = null;
            double? rate = null;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--quick":
                        quick = true;
                        break;
                    case "--output" when i + 1 < args.Length:
                        output = args[++i];
                        break;
                    case "--steps" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) && s > 0:
                        steps = s;
                        i++;
                        break;
                    case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int r):
                        seed = r;
                        i++;
                        break;
                    case "--rate" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double lr) && lr > 0:
                        rate = lr;
                        i++;
                        break;
                    case "-h":
                    case "--help":
                        PrintUsage(console);
                        return 0;
                    default:
                        console.MarkupLineInterpolated($"[red]Unknown or incomplete argument '{args[i]}'.[/]");
                        PrintUsage(console);
                        return 2;
                }
            }

            CurveFittingOptions defaults = quick ? CurveFittingOptions.Quick(output ?? DefaultOutput()) : new CurveFittingOptions();
            var options = new CurveFittingOptions
            {
                Steps = steps ?? defaults.Steps,
                LearningRate = rate ?? defaults.LearningRate,
                Seed = seed ?? defaults.Seed,
                OutputDirectory = output ?? defaults.OutputDirectory,
                ProgressUpdates = quick ? defaults.ProgressUpdates : (IsInteractive(console) ? 100 : defaults.ProgressUpdates),
                Live = !quick && IsInteractive(console),
            };

            if (!options.Live && console.Profile.Width < 120)
            {
                // Logs and pipes have no real width: do not wrap the progress lines at 80 columns.
                console.Profile.Width = 120;
            }

            CurveFittingSample.Run(options, console);
            return 0;
        }

        /// <summary>
        /// Live rendering only on a real terminal: not when output is redirected or captured, and not on CI
        /// (the <c>CI</c> variable that GitHub Actions, GitLab, Azure Pipelines and others set).
        /// </summary>
        private static bool IsInteractive(IAnsiConsole console)
        {
            string? ci = Environment.GetEnvironmentVariable("CI");
            bool onCi = !string.IsNullOrEmpty(ci) && !string.Equals(ci, "false", StringComparison.OrdinalIgnoreCase) && ci != "0";
            return !onCi && !Console.IsOutputRedirected && console.Profile.Capabilities.Interactive;
        }

        private static string DefaultOutput() => new CurveFittingOptions().OutputDirectory;

        private static void PrintUsage(IAnsiConsole console)
        {
            console.WriteLine("Usage: dotnet run --project samples/CurveFitting [-- options]");
            console.WriteLine("  --quick        short run for tests and CI (also: DIFFGEN_QUICK=1)");
            console.WriteLine("  --output DIR   where to write curve-fitting.png (default: artifacts/samples)");
            console.WriteLine("  --steps N      number of Adam steps");
            console.WriteLine("  --seed N       random seed for the noisy points");
            console.WriteLine("  --rate R       Adam's learning rate");
        }
    }
}
