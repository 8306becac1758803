using System;
using DiffGen.Samples.OptionGreeks;
using DiffGen.Samples.Tests.Support;
using Xunit;

namespace DiffGen.Samples.Tests
{
    public class OptionGreeksTests
    {
        private const double Tolerance = 1e-12;

        public static TheoryData<double, double, double, double, double> Scenarios => new()
        {
            { 100, 100, 0.05, 0.20, 1.0 },
            { 120, 100, 0.03, 0.25, 0.5 },
            { 80, 100, 0.01, 0.30, 2.0 },
            { 100, 95, 0.02, 0.15, 1.0 / 12 },
            { 42, 40, 0.10, 0.20, 0.5 },
            { 100, 110, 0.00, 0.40, 3.0 },
            { 50, 45, -0.01, 0.35, 0.25 },
        };

        [Theory]
        [MemberData(nameof(Scenarios))]
        public void GeneratedGreeks_MatchTheClosedForms(double spot, double strike, double rate, double volatility, double time)
        {
            double price = BlackScholes.CallPriceGradient(spot, strike, rate, volatility, time, out double dSpot, out double dRate, out double dVolatility, out double dTime);

            // The textbook Greeks, written out here independently of the sample.
            double sqrtT = Math.Sqrt(time);
            double d1 = (Math.Log(spot / strike) + ((rate + (volatility * volatility / 2)) * time)) / (volatility * sqrtT);
            double d2 = d1 - (volatility * sqrtT);
            double discount = Math.Exp(-rate * time);
            double pdf1 = Math.Exp(-d1 * d1 / 2) / Math.Sqrt(2 * Math.PI);
            double cdf1 = DiffMath.NormalCdf(d1);
            double cdf2 = DiffMath.NormalCdf(d2);

            AssertRelative((spot * cdf1) - (strike * discount * cdf2), price, "price");
            AssertRelative(cdf1, dSpot, "delta");
            AssertRelative(spot * pdf1 * sqrtT, dVolatility, "vega");
            AssertRelative(strike * time * discount * cdf2, dRate, "rho");
            AssertRelative((spot * pdf1 * volatility / (2 * sqrtT)) + (rate * strike * discount * cdf2), dTime, "-theta");

            // Second order: gamma = φ(d1)/(Sσ√T) and vanna = ∂²C/∂S∂σ = −φ(d1)·d2/σ, from the generated Hessian
            // (row-major over spot, rate, volatility, time).
            var hessian = new double[16];
            BlackScholes.CallPriceHessian(spot, strike, rate, volatility, time, hessian);
            AssertRelative(pdf1 / (spot * volatility * sqrtT), hessian[0], "gamma");
            AssertRelative(-pdf1 * d2 / volatility, hessian[2], "vanna");
            Assert.Equal(hessian[2], hessian[8]);
            Assert.Equal(BlackScholes.ClosedForm(spot, strike, rate, volatility, time).Gamma, BlackScholes.FromGeneratedGradient(spot, strike, rate, volatility, time).Gamma, 12);
        }

        [Theory]
        [MemberData(nameof(Scenarios))]
        public void GeneratedGradient_MatchesCentralFiniteDifferences(double spot, double strike, double rate, double volatility, double time)
        {
            GradientCheckResult check = GradientCheck.Compare(
                x => BlackScholes.CallPrice(x[0], strike, x[1], x[2], x[3]),
                (x, g) =>
                {
                    double value = BlackScholes.CallPriceGradient(x[0], strike, x[1], x[2], x[3], out double dS, out double dR, out double dV, out double dT);
                    g[0] = dS;
                    g[1] = dR;
                    g[2] = dV;
                    g[3] = dT;
                    return value;
                },
                new[] { spot, rate, volatility, time });

            Assert.True(check.IsClose(1e-6, 1e-6), check.ToString());
        }

        [Fact]
        public void CallPrice_MatchesHullsTextbookExample()
        {
            // Hull, Options, Futures and Other Derivatives, Example 15.6: S = 42, K = 40, r = 10 %, σ = 20 %, T = 0.5 → c = 4.76.
            double price = BlackScholes.CallPrice(42, 40, 0.1, 0.2, 0.5);

            Assert.Equal(4.76, price, 2);
        }

        [Fact]
        public void SampleRun_ReportsAgreementToOneInATrillion()
        {
            var console = new TestConsole();

            OptionGreeksResult result = OptionGreeksSample.Run(OptionGreeksSample.DefaultScenarios, console.Console);

            Assert.Equal(Tolerance, result.Tolerance);
            Assert.Equal(OptionGreeksSample.DefaultScenarios.Count, result.Comparisons.Count);
            foreach (GreeksComparison comparison in result.Comparisons)
            {
                Assert.True(comparison.WorstRelativeDifference <= Tolerance, $"{comparison.Scenario.Name}: {comparison.WorstRelativeDifference:E2}");
                Assert.True(comparison.Generated.Delta > 0 && comparison.Generated.Delta < 1, "a call's delta lies in (0, 1)");
                Assert.True(comparison.Generated.Vega > 0, "a call's vega is positive");
                Assert.True(comparison.Generated.Rho > 0, "a call's rho is positive");
            }

            Assert.True(result.AllAgree);
            Assert.Contains("All Greeks agree", console.Output);
            Assert.Contains("delta", console.Output);
        }

        [Fact]
        public void ClosedFormReference_MatchesFiniteDifferencesOfThePrice()
        {
            // The sample prints its own closed-form Greeks: check that reference too, independently of the generator.
            const double s = 100, k = 105, r = 0.03, v = 0.22, t = 0.75, h = 1e-5;
            Greeks closed = BlackScholes.ClosedForm(s, k, r, v, t);

            Assert.Equal((BlackScholes.CallPrice(s + h, k, r, v, t) - BlackScholes.CallPrice(s - h, k, r, v, t)) / (2 * h), closed.Delta, 7);
            Assert.Equal((BlackScholes.CallPrice(s, k, r, v + h, t) - BlackScholes.CallPrice(s, k, r, v - h, t)) / (2 * h), closed.Vega, 5);
            Assert.Equal((BlackScholes.CallPrice(s, k, r + h, v, t) - BlackScholes.CallPrice(s, k, r - h, v, t)) / (2 * h), closed.Rho, 5);
            Assert.Equal(-(BlackScholes.CallPrice(s, k, r, v, t + h) - BlackScholes.CallPrice(s, k, r, v, t - h)) / (2 * h), closed.Theta, 5);
            const double hs = 1e-3; // second difference: O(hs²) truncation, ε·C/hs² ≈ 1e-8 rounding
            Assert.Equal((BlackScholes.CallPrice(s + hs, k, r, v, t) - 2 * BlackScholes.CallPrice(s, k, r, v, t) + BlackScholes.CallPrice(s - hs, k, r, v, t)) / (hs * hs), closed.Gamma, 6);
        }

        [Fact]
        public void RelativeDifference_IsZeroOnlyForEqualValues()
        {
            Assert.Equal(0, OptionGreeksSample.RelativeDifference(2.5, 2.5));
            Assert.Equal(0.1, OptionGreeksSample.RelativeDifference(1.1, 1.0), 12);
            Assert.True(new GreeksComparison(
                OptionGreeksSample.DefaultScenarios[0],
                new Greeks(1, 0.5, 2, 3, -1, 0.02),
                new Greeks(1, 0.5, 2, 3, -1 - 1e-9, 0.02)).WorstRelativeDifference > Tolerance);
            Assert.True(new GreeksComparison(
                OptionGreeksSample.DefaultScenarios[0],
                new Greeks(1, 0.5, 2, 3, -1, 0.02),
                new Greeks(1, 0.5, 2, 3, -1, 0.02 + 1e-9)).WorstRelativeDifference > Tolerance);
        }

        private static void AssertRelative(double expected, double actual, string what)
        {
            double relative = Math.Abs(actual - expected) / Math.Abs(expected);
            Assert.True(relative <= Tolerance, $"{what}: expected {expected:R}, got {actual:R} (relative difference {relative:E2})");
        }
    }
}
