using System;
using System.IO;
using DiffGen.Samples.CurveFitting;
using DiffGen.Samples.Tests.Support;
using Xunit;

namespace DiffGen.Samples.Tests
{
    public class CurveFittingTests
    {
        /// <summary>The claim the sample makes: every recovered coefficient within this of the true one.</summary>
        private const double CoefficientTolerance = 0.05;

        [Theory]
        [InlineData(0.0, 0.0, 0.0, 0.0)]
        [InlineData(1.0, -2.0, -0.5, 0.75)]
        [InlineData(-0.3, 1.7, 2.2, -1.1)]
        public void LossGradient_MatchesTheClosedFormGradientOfTheMeanSquaredError(double c0, double c1, double c2, double c3)
        {
            CurveData data = CurveData.Generate(CurveFittingOptions.DefaultTrueCoefficients, 50, 0.3, -2, 2, seed: 3);
            double[] c = { c0, c1, c2, c3 };
            var gradient = new double[4];

            double loss = CurveModel.LossGradient(c, data.Xs, data.Ys, gradient);

            // ∂/∂c_k (1/n) Σ (p(x_i) − y_i)² = (2/n) Σ (p(x_i) − y_i)·x_i^k, with p written out in powers, not Horner.
            int n = data.Xs.Length;
            double expectedLoss = 0;
            var expected = new double[4];
            for (int i = 0; i < n; i++)
            {
                double x = data.Xs[i];
                double residual = c0 + (c1 * x) + (c2 * x * x) + (c3 * x * x * x) - data.Ys[i];
                expectedLoss += residual * residual / n;
                for (int k = 0; k < 4; k++)
                {
                    expected[k] += 2.0 * residual * Math.Pow(x, k) / n;
                }
            }

            AssertClose(expectedLoss, loss, 1e-12);
            for (int k = 0; k < 4; k++)
            {
                AssertClose(expected[k], gradient[k], 1e-12);
            }
        }

        [Fact]
        public void LossGradient_MatchesCentralFiniteDifferences()
        {
            CurveData data = CurveData.Generate(CurveFittingOptions.DefaultTrueCoefficients, 80, 0.3, -2, 2, seed: 5);
            double[] xs = data.Xs;
            double[] ys = data.Ys;

            GradientCheckResult check = GradientCheck.Compare(
                c => CurveModel.Loss(c, xs, ys),
                (c, g) => CurveModel.LossGradient(c, xs, ys, g),
                new[] { 0.4, -1.2, 0.9, 0.2 });

            Assert.True(check.IsClose(1e-6, 1e-6), check.ToString());
        }

        [Fact]
        public void LossBackward_AccumulatesSeedTimesTheGradient()
        {
            CurveData data = CurveData.Generate(CurveFittingOptions.DefaultTrueCoefficients, 30, 0.3, -2, 2, seed: 9);
            double[] c = { 0.5, 0.25, -0.5, 1.0 };
            var gradient = new double[4];
            CurveModel.LossGradient(c, data.Xs, data.Ys, gradient);

            double[] accumulated = { 1.0, 2.0, 3.0, 4.0 };
            CurveModel.LossBackward(c, data.Xs, data.Ys, 0.25, accumulated);

            for (int k = 0; k < 4; k++)
            {
                AssertClose((k + 1.0) + (0.25 * gradient[k]), accumulated[k], 1e-14);
            }
        }

        [Fact]
        public void QuickRun_RecoversTheTrueCoefficients_ReachesTheLeastSquaresOptimum_AndWritesThePlot()
        {
            using var output = new TempDirectory();
            var console = new TestConsole();

            CurveFittingResult result = CurveFittingSample.Run(CurveFittingOptions.Quick(output.Path), console.Console);

            // The claim: the true coefficients are recovered within the stated tolerance.
            Assert.Equal(CurveFittingOptions.DefaultTrueCoefficients, result.TrueCoefficients);
            for (int k = 0; k < 4; k++)
            {
                Assert.True(
                    Math.Abs(result.FittedCoefficients[k] - result.TrueCoefficients[k]) <= CoefficientTolerance,
                    $"c{k}: fitted {result.FittedCoefficients[k]}, true {result.TrueCoefficients[k]}");
            }

            // Adam went all the way down: the fit matches the exact least-squares solution of the same data.
            double[] leastSquares = SolveLeastSquaresCubic(result.Data.Xs, result.Data.Ys);
            for (int k = 0; k < 4; k++)
            {
                Assert.True(
                    Math.Abs(result.FittedCoefficients[k] - leastSquares[k]) <= 1e-4,
                    $"c{k}: fitted {result.FittedCoefficients[k]}, least squares {leastSquares[k]}");
            }

            Assert.True(result.FinalLoss < result.InitialLoss / 10, $"loss {result.InitialLoss} -> {result.FinalLoss}");
            Assert.True(result.FinalLoss <= result.TrueCurveLoss, "the least-squares fit scores at least as well as the true curve on its own data");
            Assert.True(result.TrainingTime < TimeSpan.FromSeconds(20), $"training took {result.TrainingTime}");

            Assert.Equal(Path.Combine(output.Path, CurveFittingSample.PlotFileName), result.PlotPath);
            Assert.Equal((CurvePlot.Width, CurvePlot.Height), Png.AssertValid(result.PlotPath));

            Assert.Contains("Recovered coefficients", console.Output);
            Assert.Contains(result.PlotPath, console.Output);
        }

        [Fact]
        public void GeneratedGradientCode_IsWhereTheSampleSaysItIs()
        {
            string? path = CurveFittingSample.FindGeneratedLossCode();

            Assert.NotNull(path);
            Assert.True(File.Exists(path), $"The sample points at {path}, which does not exist.");
            string code = File.ReadAllText(path);
            Assert.Contains("public static double LossGradient(", code);
            Assert.Contains("public static double LossBackward(", code);
        }

        [Fact]
        public void QuickRun_PrintsTheGeneratedCodePath()
        {
            using var output = new TempDirectory();
            var console = new TestConsole();

            CurveFittingResult result = CurveFittingSample.Run(CurveFittingOptions.Quick(output.Path), console.Console);

            Assert.NotNull(result.GeneratedLossCodePath);
            Assert.Contains(result.GeneratedLossCodePath, console.Output);
            Assert.DoesNotContain("missing", console.Output);
        }

        [Fact]
        public void LiveMode_RendersTheLiveTableAndFinishes()
        {
            using var output = new TempDirectory();
            var console = new TestConsole(interactive: true);
            CurveFittingOptions quick = CurveFittingOptions.Quick(output.Path);
            var options = new CurveFittingOptions
            {
                Steps = quick.Steps,
                LearningRate = quick.LearningRate,
                OutputDirectory = output.Path,
                Live = true,
                LiveFrameDelay = TimeSpan.Zero,
                ProgressUpdates = 20,
            };

            CurveFittingResult result = CurveFittingSample.Run(options, console.Console);

            Assert.Contains("current", console.Output);
            Assert.Contains($"step  {quick.Steps}/{quick.Steps}", console.Output);
            Assert.True(Math.Abs(result.FittedCoefficients[3] - result.TrueCoefficients[3]) <= CoefficientTolerance);
        }

        [Fact]
        public void Main_WithQuickAndOutput_ExitsZeroAndWritesThePlot()
        {
            using var output = new TempDirectory();

            int exitCode = Program.Main(new[] { "--quick", "--output", output.Path });

            Assert.Equal(0, exitCode);
            Png.AssertValid(Path.Combine(output.Path, CurveFittingSample.PlotFileName));
        }

        [Fact]
        public void Main_RejectsAnUnknownArgument()
        {
            Assert.Equal(2, Program.Main(new[] { "--no-such-option" }));
        }

        /// <summary>The exact minimiser of Σ (c₀ + c₁x + c₂x² + c₃x³ − y)²: the normal equations, by Gaussian elimination with pivoting.</summary>
        private static double[] SolveLeastSquaresCubic(double[] xs, double[] ys)
        {
            var a = new double[4, 5];
            for (int i = 0; i < xs.Length; i++)
            {
                for (int r = 0; r < 4; r++)
                {
                    for (int c = 0; c < 4; c++)
                    {
                        a[r, c] += Math.Pow(xs[i], r + c);
                    }

                    a[r, 4] += Math.Pow(xs[i], r) * ys[i];
                }
            }

            for (int col = 0; col < 4; col++)
            {
                int pivot = col;
                for (int r = col + 1; r < 4; r++)
                {
                    if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                    {
                        pivot = r;
                    }
                }

                for (int c = 0; c < 5; c++)
                {
                    (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
                }

                for (int r = 0; r < 4; r++)
                {
                    if (r != col)
                    {
                        double factor = a[r, col] / a[col, col];
                        for (int c = col; c < 5; c++)
                        {
                            a[r, c] -= factor * a[col, c];
                        }
                    }
                }
            }

            var solution = new double[4];
            for (int r = 0; r < 4; r++)
            {
                solution[r] = a[r, 4] / a[r, r];
            }

            return solution;
        }

        private static void AssertClose(double expected, double actual, double relativeTolerance)
        {
            double scale = Math.Max(1.0, Math.Abs(expected));
            Assert.True(Math.Abs(actual - expected) <= relativeTolerance * scale, $"expected {expected:R}, got {actual:R}");
        }
    }
}
