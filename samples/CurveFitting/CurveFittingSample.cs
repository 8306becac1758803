using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using Spectre.Console;

namespace DiffGen.Samples.CurveFitting
{
    /// <summary>
    /// The curve-fitting walkthrough: noisy points from a known cubic, the mean squared error as the loss, and Adam
    /// following the gradient that DiffGen generated from <see cref="CurveModel.Loss"/> until the curve fits.
    /// </summary>
    public static class CurveFittingSample
    {
        /// <summary>The PNG's file name inside the output directory.</summary>
        public const string PlotFileName = "curve-fitting.png";

        /// <summary>The generator's hint name for the generated loss gradient.</summary>
        public const string GeneratedLossFileName = "DiffGen.Samples.CurveFitting.CurveModel.Loss.g.cs";

        /// <summary>The assembly-metadata key under which the build records its generated-files directory.</summary>
        public const string GeneratedFilesMetadataKey = "DiffGen.GeneratedFilesDirectory";

        private static readonly string[] CoefficientNames = { "c₀ (1)", "c₁ (x)", "c₂ (x²)", "c₃ (x³)" };

        /// <summary>Generates the data, fits the curve, writes the plot and reports to <paramref name="console"/>.</summary>
        /// <param name="options">What to do.</param>
        /// <param name="console">Where progress and results go.</param>
        /// <returns>The fitted coefficients, the loss history and the paths written.</returns>
        public static CurveFittingResult Run(CurveFittingOptions options, IAnsiConsole console)
        {
            ArgumentNullException.ThrowIfNull(options);
            ArgumentNullException.ThrowIfNull(console);
            if (options.TrueCoefficients.Length != CurveModel.CoefficientCount)
            {
                throw new ArgumentException($"A cubic has {CurveModel.CoefficientCount} coefficients.", nameof(options));
            }

            if (options.Steps <= 0 || options.PointCount <= 0 || options.ProgressUpdates <= 0)
            {
                throw new ArgumentException("Steps, point count and progress updates must be positive.", nameof(options));
            }

            double[] truth = (double[])options.TrueCoefficients.Clone();
            CurveData data = CurveData.Generate(truth, options.PointCount, options.Noise, options.XMin, options.XMax, options.Seed);

            console.MarkupLine("[bold]DiffGen curve fitting[/]: y = c₀ + c₁x + c₂x² + c₃x³ through noisy points, by Adam on a generated gradient.");
            console.MarkupLine(Invariant($"[grey]{data.Xs.Length} points, x in [[{options.XMin}, {options.XMax}]], noise σ = {options.Noise}, seed {options.Seed}; {options.Steps} Adam steps, learning rate {options.LearningRate} (cosine-annealed).[/]"));

            // The parameters start at zero; the optimiser owns no copy of them, it updates this span in place.
            var coefficients = new double[CurveModel.CoefficientCount];
            var gradient = new double[CurveModel.CoefficientCount];
            var adam = new Adam(
                CurveModel.CoefficientCount,
                options.LearningRate,
                schedule: new CosineSchedule(options.Steps, minRate: options.LearningRate * 0.01));
            var lossHistory = new double[options.Steps + 1];
            var stopwatch = new Stopwatch();

            // Runs steps [from, to): one generated gradient of the loss and one Adam step each.
            void Train(int from, int to)
            {
                stopwatch.Start();
                for (int step = from; step < to; step++)
                {
                    lossHistory[step] = CurveModel.LossGradient(coefficients, data.Xs, data.Ys, gradient);
                    adam.Step(coefficients, gradient);
                }

                stopwatch.Stop();
            }

            int updateEvery = Math.Max(1, options.Steps / options.ProgressUpdates);
            if (options.Live)
            {
                TrainLive(options, console, truth, coefficients, lossHistory, updateEvery, Train);
            }
            else
            {
                for (int from = 0; from < options.Steps; from += updateEvery)
                {
                    int to = Math.Min(options.Steps, from + updateEvery);
                    Train(from, to);
                    console.WriteLine(Invariant($"  step {to,6}/{options.Steps}  loss {lossHistory[to - 1],12:F6}  c = [{Format(coefficients)}]"));
                }
            }

            lossHistory[options.Steps] = CurveModel.Loss(coefficients, data.Xs, data.Ys);
            double trueCurveLoss = CurveModel.Loss(truth, data.Xs, data.Ys);

            var table = new Table().Border(TableBorder.Rounded).Title("Recovered coefficients");
            table.AddColumn("coefficient");
            table.AddColumn(new TableColumn("true").RightAligned());
            table.AddColumn(new TableColumn("fitted").RightAligned());
            table.AddColumn(new TableColumn("difference").RightAligned());
            for (int i = 0; i < coefficients.Length; i++)
            {
                table.AddRow(
                    CoefficientNames[i],
                    truth[i].ToString("F4", CultureInfo.InvariantCulture),
                    coefficients[i].ToString("F4", CultureInfo.InvariantCulture),
                    (coefficients[i] - truth[i]).ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture));
            }

            console.Write(table);
            console.MarkupLine(Invariant($"Loss {lossHistory[0]:F4} → {lossHistory[^1]:F6} (the true curve scores {trueCurveLoss:F6} on these noisy points) in {stopwatch.Elapsed.TotalMilliseconds:F0} ms of training."));

            string outputDirectory = Path.GetFullPath(options.OutputDirectory);
            Directory.CreateDirectory(outputDirectory);
            string plotPath = Path.Combine(outputDirectory, PlotFileName);
            CurvePlot.Save(data, truth, coefficients, lossHistory, plotPath);
            console.MarkupLine("Plot written to");
            WritePath(console, plotPath);

            string? generatedPath = FindGeneratedLossCode();
            if (generatedPath is null)
            {
                console.MarkupLine("This build did not record where generated files go; build with [bold]-p:EmitCompilerGeneratedFiles=true[/] to see the gradient code.");
            }
            else if (File.Exists(generatedPath))
            {
                console.MarkupLine("The gradient code DiffGen generated for [bold]CurveModel.Loss[/] (LossGradient, LossBackward) is at");
                WritePath(console, generatedPath);
            }
            else
            {
                console.MarkupLine("The generated gradient code would be at the path below, but the file is missing: rebuild with [bold]-p:EmitCompilerGeneratedFiles=true[/].");
                WritePath(console, generatedPath);
            }

            return new CurveFittingResult
            {
                Data = data,
                TrueCoefficients = truth,
                FittedCoefficients = coefficients,
                LossHistory = lossHistory,
                TrueCurveLoss = trueCurveLoss,
                TrainingTime = stopwatch.Elapsed,
                PlotPath = plotPath,
                GeneratedLossCodePath = generatedPath,
            };
        }

        /// <summary>
        /// Where this build wrote the generated source of <c>LossGradient</c>: the project records its
        /// <c>CompilerGeneratedFilesOutputPath</c> as assembly metadata at build time (see the .csproj).
        /// </summary>
        /// <returns>The full path of the generated file, or <see langword="null"/> when the metadata is absent.</returns>
        public static string? FindGeneratedLossCode()
        {
            string? directory = typeof(CurveModel).Assembly
                .GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == GeneratedFilesMetadataKey)?.Value;
            if (string.IsNullOrEmpty(directory))
            {
                return null;
            }

            return Path.GetFullPath(Path.Combine(directory, "DiffGen.Generator", "DiffGen.Generator.DifferentiableGenerator", GeneratedLossFileName));
        }

        private static void TrainLive(
            CurveFittingOptions options,
            IAnsiConsole console,
            double[] truth,
            double[] coefficients,
            double[] lossHistory,
            int updateEvery,
            Action<int, int> train)
        {
            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumn("coefficient");
            table.AddColumn(new TableColumn("true").RightAligned());
            table.AddColumn(new TableColumn("current").RightAligned());
            for (int i = 0; i < coefficients.Length; i++)
            {
                table.AddRow(CoefficientNames[i], truth[i].ToString("F4", CultureInfo.InvariantCulture), "0.0000");
            }

            console.Live(new Rows(table, new Markup(ProgressCaption(0, options.Steps, double.NaN)))).AutoClear(false).Start(context =>
            {
                for (int from = 0; from < options.Steps; from += updateEvery)
                {
                    int to = Math.Min(options.Steps, from + updateEvery);
                    train(from, to);
                    for (int i = 0; i < coefficients.Length; i++)
                    {
                        table.UpdateCell(i, 2, coefficients[i].ToString("F4", CultureInfo.InvariantCulture));
                    }

                    context.UpdateTarget(new Rows(table, new Markup(ProgressCaption(to, options.Steps, lossHistory[to - 1]))));
                    Thread.Sleep(options.LiveFrameDelay);
                }
            });
        }

        /// <summary>Writes a path on its own line, unwrapped, so it can be copied from the terminal in one piece.</summary>
        private static void WritePath(IAnsiConsole console, string path)
        {
            console.Profile.Out.Writer.WriteLine("  " + path);
            console.Profile.Out.Writer.Flush();
        }

        private static string ProgressCaption(int step, int steps, double loss)
        {
            const int width = 40;
            int filled = (int)Math.Round((double)width * step / steps);
            string bar = new string('━', filled);
            string rest = new string('━', width - filled);
            string lossText = double.IsNaN(loss) ? "" : Invariant($"  loss {loss:F6}");
            return Invariant($"[green]{bar}[/][grey]{rest}[/] step {step,5}/{steps}{lossText}");
        }

        private static string Format(double[] values) =>
            string.Join(", ", values.Select(v => v.ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture)));

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
