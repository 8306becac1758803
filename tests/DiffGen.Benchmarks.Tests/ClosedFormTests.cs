using System;
using System.Linq;
using DiffGen.Benchmarks.Workloads;
using Xunit;

namespace DiffGen.Benchmarks.Tests
{
    /// <summary>
    /// The benchmark's baseline gradients against textbook formulas written out independently here (entry by entry,
    /// no shared code with the hand-written or generated gradients), on the benchmark's own data.
    /// </summary>
    public class ClosedFormTests
    {
        private const double Tolerance = 1e-10;

        [Fact]
        public void LeastSquares()
        {
            // Σᵢ ∂/∂(w, b) (w·xᵢ + b − yᵢ)² = Σᵢ 2rᵢ·(xᵢ, 1).
            var workload = (LeastSquaresBenchmarks)WorkloadCatalog.Create("LeastSquares");
            workload.Generated();
            workload.HandWritten();
            double w = workload.Parameters[0];
            double b = workload.Parameters[1];
            var expected = new double[2];
            for (int i = 0; i < workload.Xs.Length; i++)
            {
                double r = w * workload.Xs[i] + b - workload.Ys[i];
                expected[0] += 2 * r * workload.Xs[i];
                expected[1] += 2 * r;
            }

            AssertAll(expected, workload.HandWrittenGradient.ToArray(), "hand-written");
            AssertAll(expected, workload.GeneratedGradient.ToArray(), "generated");
        }

        [Theory]
        [InlineData(10)]
        [InlineData(1000)]
        public void Rosenbrock(int n)
        {
            var workload = new RosenbrockBenchmarks { N = n };
            workload.Setup();
            workload.Generated();
            workload.HandWritten();
            var x = workload.Parameters.ToArray();
            var expected = new double[n];
            for (int i = 0; i < n; i++)
            {
                if (i < n - 1)
                {
                    expected[i] += -400 * x[i] * (x[i + 1] - x[i] * x[i]) - 2 * (1 - x[i]);
                }

                if (i > 0)
                {
                    expected[i] += 200 * (x[i] - x[i - 1] * x[i - 1]);
                }
            }

            AssertAll(expected, workload.HandWrittenGradient.ToArray(), "hand-written");
            AssertAll(expected, workload.GeneratedGradient.ToArray(), "generated");
        }

        [Fact]
        public void PolynomialFitIsTheNormalEquationsResidual()
        {
            // ∂/∂cₖ (1/m) Σ (p(xᵢ) − yᵢ)² = (2/m) Σ (p(xᵢ) − yᵢ)·xᵢᵏ, with p evaluated term by term with Math.Pow.
            var workload = (PolynomialFitBenchmarks)WorkloadCatalog.Create("PolynomialFit");
            workload.Generated();
            workload.HandWritten();
            var c = workload.Parameters.ToArray();
            var random = new Random(2024);
            var expected = new double[c.Length];
            for (int i = 0; i < PolynomialFitBenchmarks.Points; i++)
            {
                double x = -1.0 + 2.0 * random.NextDouble();
                double y = Math.Sin(3.0 * x) + 0.1 * (random.NextDouble() - 0.5);
                double p = 0;
                for (int k = 0; k < c.Length; k++)
                {
                    p += c[k] * Math.Pow(x, k);
                }

                for (int k = 0; k < c.Length; k++)
                {
                    expected[k] += 2.0 / PolynomialFitBenchmarks.Points * (p - y) * Math.Pow(x, k);
                }
            }

            AssertAll(expected, workload.HandWrittenGradient.ToArray(), "hand-written");
            AssertAll(expected, workload.GeneratedGradient.ToArray(), "generated");
        }

        [Fact]
        public void SoftmaxCrossEntropyIsSoftmaxMinusOneHot()
        {
            var workload = (SoftmaxCrossEntropyBenchmarks)WorkloadCatalog.Create("SoftmaxCrossEntropy");
            workload.Generated();
            workload.HandWritten();
            var z = workload.Parameters.ToArray();
            double total = z.Sum(Math.Exp);
            var expected = z.Select((zi, i) => Math.Exp(zi) / total - (i == SoftmaxCrossEntropyBenchmarks.Label ? 1 : 0)).ToArray();
            AssertAll(expected, workload.HandWrittenGradient.ToArray(), "hand-written");
            AssertAll(expected, workload.GeneratedGradient.ToArray(), "generated");
        }

        [Fact]
        public void BlackScholesGreeks()
        {
            var workload = (BlackScholesBenchmarks)WorkloadCatalog.Create("BlackScholes");
            workload.Generated();
            workload.HandWritten();
            double s = workload.Parameters[0], k = workload.Parameters[1], t = workload.Parameters[2], r = workload.Parameters[3], v = workload.Parameters[4];

            // Textbook Greeks of a call, with φ and Φ from the definitions (φ(d) = e^(−d²/2)/√(2π)).
            double d1 = (Math.Log(s / k) + (r + v * v / 2) * t) / (v * Math.Sqrt(t));
            double d2 = d1 - v * Math.Sqrt(t);
            double pdf1 = Math.Exp(-d1 * d1 / 2) / Math.Sqrt(2 * Math.PI);
            double pdf2 = Math.Exp(-d2 * d2 / 2) / Math.Sqrt(2 * Math.PI);
            double cdf1 = DiffMath.NormalCdf(d1);
            double cdf2 = DiffMath.NormalCdf(d2);
            double delta = cdf1;
            double dualDelta = -Math.Exp(-r * t) * cdf2;
            double theta = -s * pdf1 * v / (2 * Math.Sqrt(t)) - r * k * Math.Exp(-r * t) * cdf2;
            double rho = k * t * Math.Exp(-r * t) * cdf2;
            double vega = k * Math.Exp(-r * t) * pdf2 * Math.Sqrt(t);
            double[] expected = { delta, dualDelta, -theta, rho, vega };
            AssertAll(expected, workload.HandWrittenGradient.ToArray(), "hand-written");
            AssertAll(expected, workload.GeneratedGradient.ToArray(), "generated");
        }

        private static void AssertAll(double[] expected, double[] actual, string what)
        {
            Assert.Equal(expected.Length, actual.Length);
            double scale = Math.Max(1.0, expected.Max(Math.Abs));
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(
                    Math.Abs(expected[i] - actual[i]) <= Tolerance * scale,
                    $"{what} ∂f/∂θ[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
            }
        }
    }
}
