using System;
using BenchmarkDotNet.Attributes;
using DiffGen.Benchmarks.Infrastructure;

namespace DiffGen.Benchmarks.Workloads
{
    /// <summary>The scalar least-squares loss (w·x + b − y)², the example of the README.</summary>
    public static partial class LeastSquaresModel
    {
        /// <summary>(w·x + b − y)².</summary>
        [Differentiable]
        public static double Loss(double w, double b, [NoDiff] double x, [NoDiff] double y)
        {
            double residual = w * x + b - y;
            return residual * residual;
        }

        /// <summary>Hand-written: ∂/∂w = 2r·x, ∂/∂b = 2r with r = w·x + b − y.</summary>
        public static double LossHandGradient(double w, double b, double x, double y, out double dW, out double dB)
        {
            double residual = w * x + b - y;
            double twoResidual = 2.0 * residual;
            dW = twoResidual * x;
            dB = twoResidual;
            return residual * residual;
        }
    }

    /// <summary>Benchmarks of <see cref="LeastSquaresModel.Loss"/>; θ = (w, b).</summary>
    [MemoryDiagnoser]
    public class LeastSquaresBenchmarks : IGradientWorkload
    {
        private double[] _theta = Array.Empty<double>();
        private double[] _generated = Array.Empty<double>();
        private double[] _hand = Array.Empty<double>();
        private double[] _fd = Array.Empty<double>();
        private double _x;
        private double _y;

        public ReadOnlySpan<double> Parameters => _theta;

        public ReadOnlySpan<double> GeneratedGradient => _generated;

        public ReadOnlySpan<double> HandWrittenGradient => _hand;

        public ReadOnlySpan<double> FiniteDifferenceGradient => _fd;

        [GlobalSetup]
        public void Setup()
        {
            _theta = new[] { 0.75, -0.3 };
            _x = 1.7;
            _y = 2.4;
            _generated = new double[2];
            _hand = new double[2];
            _fd = new double[2];
        }

        [Benchmark]
        public double Primal() => LeastSquaresModel.Loss(_theta[0], _theta[1], _x, _y);

        [Benchmark]
        public double Generated()
        {
            double value = LeastSquaresModel.LossGradient(_theta[0], _theta[1], _x, _y, out double dW, out double dB);
            _generated[0] = dW;
            _generated[1] = dB;
            return value;
        }

        [Benchmark(Baseline = true)]
        public double HandWritten()
        {
            double value = LeastSquaresModel.LossHandGradient(_theta[0], _theta[1], _x, _y, out double dW, out double dB);
            _hand[0] = dW;
            _hand[1] = dB;
            return value;
        }

        [Benchmark]
        public double FiniteDifferences()
        {
            var objective = new Objective(_x, _y);
            return Infrastructure.FiniteDifferences.Central(ref objective, _theta, _fd);
        }

        private readonly struct Objective : IObjective
        {
            private readonly double _x;
            private readonly double _y;

            public Objective(double x, double y)
            {
                _x = x;
                _y = y;
            }

            public double Evaluate(ReadOnlySpan<double> p) => LeastSquaresModel.Loss(p[0], p[1], _x, _y);
        }
    }
}
