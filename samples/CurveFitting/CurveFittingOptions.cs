using System;
using System.IO;

namespace DiffGen.Samples.CurveFitting
{
    /// <summary>What <see cref="CurveFittingSample.Run"/> does: the data, the optimiser settings and where the plot goes.</summary>
    public sealed class CurveFittingOptions
    {
        /// <summary>The environment variable that turns on the short mode (value <c>1</c> or <c>true</c>), as <c>--quick</c> does.</summary>
        public const string QuickEnvironmentVariable = "DIFFGEN_QUICK";

        /// <summary>The coefficients of the curve the points come from: y = 1 − 2x − 0.5x² + 0.75x³.</summary>
        public static readonly double[] DefaultTrueCoefficients = { 1.0, -2.0, -0.5, 0.75 };

        /// <summary>The curve the noisy points are drawn from (c₀ … c₃).</summary>
        public double[] TrueCoefficients { get; init; } = (double[])DefaultTrueCoefficients.Clone();

        /// <summary>How many points to fit.</summary>
        public int PointCount { get; init; } = 200;

        /// <summary>The standard deviation of the noise added to each point's y.</summary>
        public double Noise { get; init; } = 0.3;

        /// <summary>The lower end of the x interval.</summary>
        public double XMin { get; init; } = -2.0;

        /// <summary>The upper end of the x interval.</summary>
        public double XMax { get; init; } = 2.0;

        /// <summary>The random seed for the data.</summary>
        public int Seed { get; init; } = 42;

        /// <summary>How many Adam steps (one full-batch gradient each).</summary>
        public int Steps { get; init; } = 2000;

        /// <summary>Adam's base learning rate; a cosine schedule decays it to 1 % by the last step.</summary>
        public double LearningRate { get; init; } = 0.01;

        /// <summary>Where the PNG is written (created if missing).</summary>
        public string OutputDirectory { get; init; } = Path.Combine("artifacts", "samples");

        /// <summary>
        /// Show an animated live table while training (an interactive terminal). When false, progress is printed as
        /// plain lines, which is what redirected output, CI logs and tests want.
        /// </summary>
        public bool Live { get; init; }

        /// <summary>
        /// In live mode, pause this long after each progress update so the fit can be watched (the arithmetic takes
        /// only milliseconds). Ignored when <see cref="Live"/> is false.
        /// </summary>
        public TimeSpan LiveFrameDelay { get; init; } = TimeSpan.FromMilliseconds(20);

        /// <summary>How many progress updates (lines, or live-table refreshes) over the whole run.</summary>
        public int ProgressUpdates { get; init; } = 10;

        /// <summary>The short mode used by tests and CI: fewer steps, same data, same accuracy target.</summary>
        /// <param name="outputDirectory">Where the PNG goes.</param>
        /// <returns>The options.</returns>
        public static CurveFittingOptions Quick(string outputDirectory) => new()
        {
            Steps = 1200,
            LearningRate = 0.02,
            OutputDirectory = outputDirectory,
            ProgressUpdates = 5,
        };

        /// <summary>Whether the environment asks for the short mode (<c>DIFFGEN_QUICK=1</c> or <c>true</c>).</summary>
        /// <returns><see langword="true"/> when the variable is set to 1 or true.</returns>
        public static bool QuickRequestedByEnvironment()
        {
            string? value = Environment.GetEnvironmentVariable(QuickEnvironmentVariable);
            return value == "1" || string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
        }
    }
}
