using System;
using BenchmarkDotNet.Attributes;
using DiffGen.Benchmarks.Infrastructure;

namespace DiffGen.Benchmarks.Workloads
{
    /// <summary>The Black–Scholes price of a European call and its Greeks (the gradient with respect to all five inputs).</summary>
    public static partial class BlackScholesModel
    {
        /// <summary>C = S·Φ(d1) − K·e^(−rT)·Φ(d2), d1 = (ln(S/K) + (r + σ²/2)T)/(σ√T), d2 = d1 − σ√T.</summary>
        [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]
        public static double CallPrice(double spot, double strike, double time, double rate, double volatility)
        {
            double sqrtTime = Math.Sqrt(time);
            double volSqrtTime = volatility * sqrtTime;
            double d1 = (Math.Log(spot / strike) + (rate + 0.5 * volatility * volatility) * time) / volSqrtTime;
            double d2 = d1 - volSqrtTime;
            double discount = Math.Exp(-rate * time);
            return spot * DiffMath.NormalCdf(d1) - strike * discount * DiffMath.NormalCdf(d2);
        }

        /// <summary>
        /// Hand-written closed-form Greeks (using S·φ(d1) = K·e^(−rT)·φ(d2)): delta ∂C/∂S = Φ(d1),
        /// ∂C/∂K = −e^(−rT)Φ(d2), ∂C/∂T = S·φ(d1)·σ/(2√T) + rK·e^(−rT)Φ(d2) (= −theta),
        /// rho ∂C/∂r = K·T·e^(−rT)Φ(d2), vega ∂C/∂σ = S·φ(d1)·√T. Two Φ and one φ evaluations, as for the price.
        /// </summary>
        public static double CallPriceHandGradient(
            double spot,
            double strike,
            double time,
            double rate,
            double volatility,
            out double dSpot,
            out double dStrike,
            out double dTime,
            out double dRate,
            out double dVolatility)
        {
            double sqrtTime = Math.Sqrt(time);
            double volSqrtTime = volatility * sqrtTime;
            double d1 = (Math.Log(spot / strike) + (rate + 0.5 * volatility * volatility) * time) / volSqrtTime;
            double d2 = d1 - volSqrtTime;
            double discount = Math.Exp(-rate * time);
            double nd1 = DiffMath.NormalCdf(d1);
            double nd2 = DiffMath.NormalCdf(d2);
            double spotPdf = spot * DiffMath.NormalPdf(d1);
            double discountedStrikeNd2 = strike * discount * nd2;
            dSpot = nd1;
            dStrike = -discount * nd2;
            dTime = spotPdf * volatility / (2 * sqrtTime) + rate * discountedStrikeNd2;
            dRate = time * discountedStrikeNd2;
            dVolatility = spotPdf * sqrtTime;
            return spot * nd1 - discountedStrikeNd2;
        }
    }

    /// <summary>Benchmarks of <see cref="BlackScholesModel.CallPrice"/>; θ = (S, K, T, r, σ).</summary>
    [MemoryDiagnoser]
    public class BlackScholesBenchmarks : IGradientWorkload
    {
        private double[] _theta = Array.Empty<double>();
        private double[] _generated = Array.Empty<double>();
        private double[] _hand = Array.Empty<double>();
        private double[] _fd = Array.Empty<double>();

        public ReadOnlySpan<double> Parameters => _theta;

        public ReadOnlySpan<double> GeneratedGradient => _generated;

        public ReadOnlySpan<double> HandWrittenGradient => _hand;

        public ReadOnlySpan<double> FiniteDifferenceGradient => _fd;

        [GlobalSetup]
        public void Setup()
        {
            _theta = new[] { 100.0, 95.0, 0.75, 0.03, 0.25 };
            _generated = new double[5];
            _hand = new double[5];
            _fd = new double[5];
        }

        [Benchmark]
        public double Primal() => BlackScholesModel.CallPrice(_theta[0], _theta[1], _theta[2], _theta[3], _theta[4]);

        [Benchmark]
        public double Generated()
        {
            double value = BlackScholesModel.CallPriceGradient(
                _theta[0], _theta[1], _theta[2], _theta[3], _theta[4], out double dS, out double dK, out double dT, out double dR, out double dV);
            _generated[0] = dS;
            _generated[1] = dK;
            _generated[2] = dT;
            _generated[3] = dR;
            _generated[4] = dV;
            return value;
        }

        [Benchmark(Baseline = true)]
        public double HandWritten()
        {
            double value = BlackScholesModel.CallPriceHandGradient(
                _theta[0], _theta[1], _theta[2], _theta[3], _theta[4], out double dS, out double dK, out double dT, out double dR, out double dV);
            _hand[0] = dS;
            _hand[1] = dK;
            _hand[2] = dT;
            _hand[3] = dR;
            _hand[4] = dV;
            return value;
        }

        [Benchmark]
        public double FiniteDifferences()
        {
            var objective = default(Objective);
            return Infrastructure.FiniteDifferences.Central(ref objective, _theta, _fd);
        }

        private readonly struct Objective : IObjective
        {
            public double Evaluate(ReadOnlySpan<double> p) => BlackScholesModel.CallPrice(p[0], p[1], p[2], p[3], p[4]);
        }
    }
}
