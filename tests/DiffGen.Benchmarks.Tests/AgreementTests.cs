using System;
using System.Linq;
using DiffGen.Benchmarks.Infrastructure;
using DiffGen.Benchmarks.Workloads;
using Xunit;
using Xunit.Abstractions;

namespace DiffGen.Benchmarks.Tests
{
    /// <summary>
    /// Runs one call of each of the four variants of every workload (the very objects and methods the benchmark
    /// times) and checks that they return the same value and the same gradient, so a benchmark can never silently
    /// compare different things. The hand-written gradients are the closed forms; finite differences check them
    /// independently; the generated gradient is checked against both.
    /// </summary>
    public class AgreementTests
    {
        /// <summary>
        /// Generated and hand-written gradients are the same exact derivative evaluated in a different order, so they
        /// differ only by rounding: at most about n·ε relative to the largest summand for sums of n terms
        /// (n ≤ 10⁵ here: ≲ 2e-11). 1e-9 of the gradient's scale leaves two orders of margin; any real mistake (a
        /// missing term, a wrong factor, a stale saved value) is of the order of the gradient itself.
        /// </summary>
        private const double ExactTolerance = 1e-9;

        /// <summary>
        /// Values: the same arithmetic up to reassociation, so a few ulps of the terms summed; 1e-12 relative.
        /// </summary>
        private const double ValueTolerance = 1e-12;

        private readonly ITestOutputHelper _output;

        public AgreementTests(ITestOutputHelper output) => _output = output;

        [Theory]
        [MemberData(nameof(WorkloadCatalog.Names), MemberType = typeof(WorkloadCatalog))]
        public void PrimalGeneratedAndHandWrittenReturnTheSameValue(string name)
        {
            var workload = WorkloadCatalog.Create(name);
            double primal = workload.Primal();
            double generated = workload.Generated();
            double hand = workload.HandWritten();

            Assert.True(double.IsFinite(primal), $"{name}: primal {primal}");
            AssertClose(primal, generated, ValueTolerance * Math.Max(1, Math.Abs(primal)), $"{name}: generated value");
            AssertClose(primal, hand, ValueTolerance * Math.Max(1, Math.Abs(primal)), $"{name}: hand-written value");
        }

        [Theory]
        [MemberData(nameof(WorkloadCatalog.Names), MemberType = typeof(WorkloadCatalog))]
        public void GeneratedGradientEqualsHandWrittenGradient(string name)
        {
            var workload = WorkloadCatalog.Create(name);
            workload.Generated();
            workload.HandWritten();
            var generated = workload.GeneratedGradient.ToArray();
            var hand = workload.HandWrittenGradient.ToArray();

            Assert.Equal(workload.Parameters.Length, generated.Length);
            Assert.Equal(workload.Parameters.Length, hand.Length);
            double scale = hand.Max(Math.Abs);
            Assert.True(scale > 0, $"{name}: the hand-written gradient is zero, the comparison would prove nothing");
            int worst = WorstIndex(generated, hand);
            _output.WriteLine($"{name}: max |generated − hand| = {Math.Abs(generated[worst] - hand[worst]):E3} at {worst}, scale {scale:E3}");
            for (int i = 0; i < hand.Length; i++)
            {
                AssertClose(hand[i], generated[i], ExactTolerance * scale, $"{name}: ∂f/∂θ[{i}] generated vs hand-written");
            }
        }

        [Theory]
        [MemberData(nameof(WorkloadCatalog.Names), MemberType = typeof(WorkloadCatalog))]
        public void FiniteDifferencesAgreeWithHandWrittenAndGeneratedGradients(string name)
        {
            var workload = WorkloadCatalog.Create(name);
            var before = workload.Parameters.ToArray();
            double primal = workload.Primal();
            workload.Generated();
            workload.HandWritten();
            var hand = workload.HandWrittenGradient.ToArray();
            var generated = workload.GeneratedGradient.ToArray();

            double[] fd;
            int[] indices;
            if (workload is RosenbrockBenchmarks { N: >= 10_000 })
            {
                // The FiniteDifferences benchmark is O(n²) here (excluded from default runs, see Program): check the
                // same central difference on a handful of coordinates instead of running all 2n + 1 evaluations.
                indices = new[] { 0, 1, 2, workload.Parameters.Length / 2, workload.Parameters.Length - 2, workload.Parameters.Length - 1 };
                fd = SpotCentralDifferences(before, indices);
            }
            else
            {
                double value = workload.FiniteDifferences();
                Assert.Equal(primal, value);
                Assert.Equal(before, workload.Parameters.ToArray());
                fd = workload.FiniteDifferenceGradient.ToArray();
                indices = Enumerable.Range(0, fd.Length).ToArray();
            }

            double worstRatio = 0;
            for (int k = 0; k < indices.Length; k++)
            {
                int i = indices[k];
                double tolerance = FiniteDifferenceTolerance(primal, hand[i], before[i]);
                AssertClose(hand[i], fd[k], tolerance, $"{name}: ∂f/∂θ[{i}] finite differences vs hand-written");
                AssertClose(generated[i], fd[k], tolerance, $"{name}: ∂f/∂θ[{i}] finite differences vs generated");
                worstRatio = Math.Max(worstRatio, Math.Abs(fd[k] - hand[i]) / tolerance);
            }

            _output.WriteLine($"{name}: worst |fd − hand| / tolerance = {worstRatio:E3}");
        }

        [Theory]
        [MemberData(nameof(WorkloadCatalog.Names), MemberType = typeof(WorkloadCatalog))]
        public void EveryVariantGivesTheSameResultWhenCalledAgain(string name)
        {
            // The benchmark calls each variant millions of times on the same buffers: a gradient that accumulated into
            // its output instead of overwriting it, or an input left perturbed, would change from call to call.
            var workload = WorkloadCatalog.Create(name);
            bool slowFd = workload is RosenbrockBenchmarks { N: >= 10_000 };
            double g1 = workload.Generated();
            double h1 = workload.HandWritten();
            double f1 = slowFd ? 0 : workload.FiniteDifferences();
            var generated = workload.GeneratedGradient.ToArray();
            var hand = workload.HandWrittenGradient.ToArray();
            var fd = workload.FiniteDifferenceGradient.ToArray();

            Assert.Equal(g1, workload.Generated());
            Assert.Equal(h1, workload.HandWritten());
            Assert.Equal(generated, workload.GeneratedGradient.ToArray());
            Assert.Equal(hand, workload.HandWrittenGradient.ToArray());
            if (!slowFd)
            {
                Assert.Equal(f1, workload.FiniteDifferences());
                Assert.Equal(fd, workload.FiniteDifferenceGradient.ToArray());
            }
        }

        [Theory]
        [MemberData(nameof(WorkloadCatalog.Names), MemberType = typeof(WorkloadCatalog))]
        public void GeneratedGradientAllocatesNothingInSteadyState(string name)
        {
            // The benchmark's MemoryDiagnoser reports this too; here it is a pass/fail check (bytes, not time).
            var workload = WorkloadCatalog.Create(name);
            for (int i = 0; i < 3; i++)
            {
                workload.Generated();
            }

            var windows = SteadyStateAllocation.Windows(() => workload.Generated(), 5);
            Assert.True(SteadyStateAllocation.AllocatesNothing(windows), $"{name}: the generated gradient allocated in every window of 5 warm calls: {string.Join(", ", windows)} bytes");
        }

        /// <summary>
        /// A central difference with step h = ε^(1/3)·max(1, |θᵢ|) errs by truncation and by rounding.
        /// Truncation is h²·|f‴|/6; relative to the derivative that is about (h/L)²/6, L being the length over which the
        /// derivative changes. For the smallest-scale parameter here (the projectile's drag, 0.002) h/L ≈ 3e-3, a relative
        /// error of a few 1e-6 (7e-6 observed): allowed 3e-5 relative to the derivative. Rounding is of order
        /// ε·|f|/h (the whole function is re-evaluated, so its magnitude, not the derivative's, sets it): allowed
        /// 1000·ε·max(1, |f|)/h, room for the ~n ulps a sum of n terms can lose. A real error in a gradient (a missing
        /// term, a wrong factor, a stale value) is of the order of the derivative itself; the exact comparison of the
        /// generated with the hand-written gradient (1e-9) is the tight check.
        /// </summary>
        private static double FiniteDifferenceTolerance(double value, double derivative, double parameter)
        {
            double h = FiniteDifferences.RelativeStep * Math.Max(1.0, Math.Abs(parameter));
            return 3e-5 * Math.Max(1.0, Math.Abs(derivative)) + 1000 * 2.220446049250313e-16 * Math.Max(1.0, Math.Abs(value)) / h;
        }

        private static double[] SpotCentralDifferences(double[] x, int[] indices)
        {
            var point = (double[])x.Clone();
            var result = new double[indices.Length];
            for (int k = 0; k < indices.Length; k++)
            {
                int i = indices[k];
                double saved = point[i];
                double h = FiniteDifferences.RelativeStep * Math.Max(1.0, Math.Abs(saved));
                point[i] = saved + h;
                double plus = RosenbrockModel.Rosenbrock(point);
                point[i] = saved - h;
                double minus = RosenbrockModel.Rosenbrock(point);
                point[i] = saved;
                result[k] = (plus - minus) / ((saved + h) - (saved - h));
            }

            return result;
        }

        private static int WorstIndex(double[] a, double[] b)
        {
            int worst = 0;
            for (int i = 1; i < a.Length; i++)
            {
                if (Math.Abs(a[i] - b[i]) > Math.Abs(a[worst] - b[worst]))
                {
                    worst = i;
                }
            }

            return worst;
        }

        private static void AssertClose(double expected, double actual, double tolerance, string what)
        {
            Assert.True(
                double.IsFinite(actual) && Math.Abs(expected - actual) <= tolerance,
                $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):E3}, tolerance {tolerance:E3})");
        }
    }
}
