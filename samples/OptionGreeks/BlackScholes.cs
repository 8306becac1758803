using System;

namespace DiffGen.Samples.OptionGreeks
{
    /// <summary>
    /// The Black–Scholes price of a European call on a non-dividend-paying stock. DiffGen generates
    /// <c>CallPriceGradient</c> from it: one call returns the price and ∂price/∂spot, ∂rate, ∂volatility and ∂time,
    /// which are the Greeks delta, rho, vega and −theta. With <c>DiffModes.Hessian</c> it also generates
    /// <c>CallPriceHessian</c>, whose (spot, spot) entry is gamma, through DiffMath's hand-written
    /// <c>NormalCdfHessianVector</c>.
    /// </summary>
    public static partial class BlackScholes
    {
        /// <summary>C = S·Φ(d₁) − K·e^(−rT)·Φ(d₂), d₁ = (ln(S/K) + (r + σ²/2)T) / (σ√T), d₂ = d₁ − σ√T.</summary>
        /// <param name="spot">The stock price S.</param>
        /// <param name="strike">The strike K: a contract term, so no derivative is taken with respect to it.</param>
        /// <param name="rate">The continuously compounded risk-free rate r.</param>
        /// <param name="volatility">The volatility σ of the stock's log returns.</param>
        /// <param name="time">The time to expiry T, in years.</param>
        /// <returns>The call's price.</returns>
        [Differentiable(Modes = DiffModes.Reverse | DiffModes.Hessian)]
        public static double CallPrice(double spot, [NoDiff] double strike, double rate, double volatility, double time)
        {
            double sqrtTime = Math.Sqrt(time);
            double d1 = (Math.Log(spot / strike) + ((rate + (0.5 * volatility * volatility)) * time)) / (volatility * sqrtTime);
            double d2 = d1 - (volatility * sqrtTime);
            return (spot * DiffMath.NormalCdf(d1)) - (strike * Math.Exp(-rate * time) * DiffMath.NormalCdf(d2));
        }
    
        /// <summary>
        /// The textbook closed-form Greeks of the call, written out by hand: the reference the generated gradient is
        /// checked against. Theta is −∂C/∂T (the price's change per year as expiry approaches).
        /// </summary>
        /// <param name="spot">The stock price S.</param>
        /// <param name="strike">The strike K.</param>
        /// <param name="rate">The risk-free rate r.</param>
        /// <param name="volatility">The volatility σ.</param>
        /// <param name="time">The time to expiry T, in years.</param>
        /// <returns>The price and the four Greeks.</returns>
        public static Greeks ClosedForm(double spot, double strike, double rate, double volatility, double time)
        {
            double sqrtTime = Math.Sqrt(time);
            double d1 = (Math.Log(spot / strike) + ((rate + (0.5 * volatility * volatility)) * time)) / (volatility * sqrtTime);
            double d2 = d1 - (volatility * sqrtTime);
            double discount = Math.Exp(-rate * time);
            double pdf1 = DiffMath.NormalPdf(d1);
            double cdf1 = DiffMath.NormalCdf(d1);
            double cdf2 = DiffMath.NormalCdf(d2);
            return new Greeks(
                Price: (spot * cdf1) - (strike * discount * cdf2),
                Delta: cdf1,
                Vega: spot * pdf1 * sqrtTime,
                Rho: strike * time * discount * cdf2,
                Theta: -((spot * pdf1 * volatility / (2 * sqrtTime)) + (rate * strike * discount * cdf2)),
                Gamma: pdf1 / (spot * volatility * sqrtTime));
        }

        /// <summary>
        /// The price and first-order Greeks from one call of the generated <c>CallPriceGradient</c>, and gamma from the
        /// generated <c>CallPriceHessian</c> (row-major over the differentiable parameters spot, rate, volatility, time).
        /// </summary>
        /// <param name="spot">The stock price S.</param>
        /// <param name="strike">The strike K.</param>
        /// <param name="rate">The risk-free rate r.</param>
        /// <param name="volatility">The volatility σ.</param>
        /// <param name="time">The time to expiry T, in years.</param>
        /// <returns>The price and the four Greeks.</returns>
        public static Greeks FromGeneratedGradient(double spot, double strike, double rate, double volatility, double time)
        {
            double price = CallPriceGradient(spot, strike, rate, volatility, time, out double dSpot, out double dRate, out double dVolatility, out double dTime);
            Span<double> hessian = stackalloc double[4 * 4];
            CallPriceHessian(spot, strike, rate, volatility, time, hessian);
            return new Greeks(Price: price, Delta: dSpot, Vega: dVolatility, Rho: dRate, Theta: -dTime, Gamma: hessian[0]);
        }
    }

    /// <summary>A call's price, first-order Greeks and gamma.</summary>
    /// <param name="Price">The price C.</param>
    /// <param name="Delta">∂C/∂S.</param>
    /// <param name="Vega">∂C/∂σ.</param>
    /// <param name="Rho">∂C/∂r.</param>
    /// <param name="Theta">−∂C/∂T.</param>
    /// <param name="Gamma">∂²C/∂S².</param>
    public readonly record struct Greeks(double Price, double Delta, double Vega, double Rho, double Theta, double Gamma);
}
