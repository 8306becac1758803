using System;
using BenchmarkDotNet.Attributes;
using DiffGen.Benchmarks.Infrastructure;

namespace DiffGen.Benchmarks.Workloads
{
    /// <summary>The n-dimensional (chained) Rosenbrock function Σᵢ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)².</summary>
    public static partial class RosenbrockModel
    {
        /// <summary>Σ_{i=0}^{n−2} 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)².</summary>
        [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]
        public static double Rosenbrock(ReadOnlySpan<double> x)
        {
            double sum = 0;
            for (int i = 0; i < x.Length - 1; i++)
            {
                double t = x[i + 1] - x[i] * x[i];
                double u = 1 - x[i];
                sum += 100 * t * t + u * u;
            }

            return sum;
        }

        /// <summary>
        /// Hand-written, one pass: with tᵢ = xᵢ₊₁ − xᵢ², ∂f/∂xᵢ = 200tᵢ₋₁ − 400xᵢtᵢ − 2(1 − xᵢ) (each term present where its
        /// index exists); the 200tᵢ₋₁ part is carried from the previous iteration, so every entry is written once.
        /// </summary>
        public static double RosenbrockHandGradient(ReadOnlySpan<double> x, Span<double> dX)
        {
            if (dX.Length != x.Length)
            {
                throw new ArgumentException("dX must have the length of x.", nameof(dX));
            }

            if (x.Length == 0)
            {
                return 0;
            }

            double sum = 0;
            double carry = 0;
            double xi = x[0];
            for (int i = 0; i < x.Length - 1; i++)
            {
                double next = x[i + 1];
                double t = next - xi * xi;
                double u = 1 - xi;
                sum += 100 * t * t + u * u;
                dX[i] = carry - 400 * xi * t - 2 * u;
                carry = 200 * t;
                xi = next;
            }

            dX[x.Length - 1] = carry;
            return sum;
        }
    }

    /// <summary>Benchmarks of <see cref="RosenbrockModel.Rosenbrock"/>; θ = x.</summary>
    [MemoryDiagnoser]
    public class RosenbrockBenchmarks : IGradientWorkload
    {
        private double[] _x = Array.Empty<double>();
        private double[] _generated = Array.Empty<double>();
        private double[] _hand = Array.Empty<double>();
        private double[] _fd = Array.Empty<double>();

        /// <summary>The dimension.</summary>
        [Params(10, 1000, 100000)]
        public int N { get; set; } = 10;

        public ReadOnlySpan<double> Parameters => _x;

        public ReadOnlySpan<double> GeneratedGradient => _generated;

        public ReadOnlySpan<double> HandWrittenGradient => _hand;

        public ReadOnlySpan<double> FiniteDifferenceGradient => _fd;

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(1234);
            _x = new double[N];
            for (int i = 0; i < N; i++)
            {
                _x[i] = -1.5 + 3.0 * random.NextDouble();
            }

            _generated = new double[N];
            _hand = new double[N];
            _fd = new double[N];
        }

        [Benchmark]
        public double Primal() => RosenbrockModel.Rosenbrock(_x);

        [Benchmark]
        public double Generated() => RosenbrockModel.RosenbrockGradient(_x, _generated);

        [Benchmark(Baseline = true)]
        public double HandWritten() => RosenbrockModel.RosenbrockHandGradient(_x, _hand);

        /// <summary>2n + 1 primal evaluations of O(n) each: O(n²); at n = 100 000 one call takes tens of seconds, so the default run skips that case (see Program).</summary>
        [Benchmark]
        public double FiniteDifferences()
        {
            var objective = default(Objective);
            return Infrastructure.FiniteDifferences.Central(ref objective, _x, _fd);
        }

        private readonly struct Objective : IObjective
        {
            public double Evaluate(ReadOnlySpan<double> p) => RosenbrockModel.Rosenbrock(p);
        }
    }
}
