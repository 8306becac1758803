using System;
using System.Globalization;
using Spectre.Console;

namespace DiffGen.Samples.NeuralNetwork
{
    /// <summary>Command line: <c>dotnet run --project samples/NeuralNetwork [-- --quick] [--output DIR] [--epochs N] [--seed N]</c>.</summary>
    public static class Program
    {
        /// <summary>Parses the arguments, runs the sample and returns the process exit code.</summary>
        /// <param name="args">The command-line arguments.</param>
        /// <returns>0 when the network reached 95 % held-out accuracy, 1 when it did not, 2 for a bad command line.</returns>
        public static int Main(string[] args)
        {
            IAnsiConsole console = AnsiConsole.Console;
            bool quick = NetworkOptions.QuickRequestedByEnvironment();
            string? output = null;
            int? epochs = null;
            int? seed = null;
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
                    case "--epochs" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int e) && e > 0:
                        epochs = e;
                        i++;
                        break;
                    case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int s):
                        seed = s;
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

            bool interactive = IsInteractive(console);
            NetworkOptions defaults = quick ? NetworkOptions.Quick(output ?? new NetworkOptions().OutputDirectory) : new NetworkOptions();
            var options = new NetworkOptions
            {
                Epochs = epochs ?? defaults.Epochs,
                LearningRate = defaults.LearningRate,
                Seed = seed ?? defaults.Seed,
                OutputDirectory = output ?? defaults.OutputDirectory,
                ProgressUpdates = defaults.ProgressUpdates,
                Live = !quick && interactive,
            };

            if (!interactive && console.Profile.Width < 120)
            {
                console.Profile.Width = 120;
            }

            NetworkResult result = NeuralNetworkSample.Run(options, console);
            return result.TestAccuracy >= 0.95 ? 0 : 1;
        }

        private static bool IsInteractive(IAnsiConsole console)
        {
            string? ci = Environment.GetEnvironmentVariable("CI");
            bool onCi = !string.IsNullOrEmpty(ci) && !string.Equals(ci, "false", StringComparison.OrdinalIgnoreCase) && ci != "0";
            return !onCi && !Console.IsOutputRedirected && console.Profile.Capabilities.Interactive;
        }

        private static void PrintUsage(IAnsiConsole console)
        {
            console.WriteLine("Usage: dotnet run --project samples/NeuralNetwork [-- options]");
            console.WriteLine("  --quick        short run for tests and CI (also: DIFFGEN_QUICK=1)");
            console.WriteLine("  --output DIR   where to write neural-network.png (default: artifacts/samples)");
            console.WriteLine("  --epochs N     passes over the training data");
            console.WriteLine("  --seed N       random seed for data, weights and shuffling");
        }
    }
}
