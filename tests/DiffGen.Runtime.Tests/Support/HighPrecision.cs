using System;
using System.Numerics;

namespace DiffGen.Runtime.Tests.Support
{
    /// <summary>
    /// Reference values computed independently of the code under test: the Taylor series of erf, Φ and exp, summed
    /// exactly in BigInteger fixed point with enough bits that the series' cancellation (terms up to e^{x²} for a
    /// result as small as e^{−x²}) costs nothing. The argument is the double's exact binary value, π comes from
    /// Machin's formula, and only the final result is rounded to double (error at most about half an ulp).
    /// </summary>
    internal static class HighPrecision
    {
        /// <summary>Bits after the point that represent the (exact) input: every double with |x| ≥ 2^-28 is a multiple of 2^-80.</summary>
        private const int InputBits = 80;

        /// <summary>erf(x).</summary>
        public static double Erf(double x)
        {
            int bits = BitsFor(x * x);
            return ToDouble(ErfFixed(x, bits), bits);
        }

        /// <summary>erfc(x) = 1 − erf(x), with the subtraction done before rounding.</summary>
        public static double Erfc(double x)
        {
            int bits = BitsFor(x * x);
            return ToDouble((BigInteger.One << bits) - ErfFixed(x, bits), bits);
        }

        /// <summary>Φ(x) = ½ + (1/√(2π)) Σ (−1)ⁿ x^{2n+1} / (2ⁿ n! (2n+1)).</summary>
        public static double NormalCdf(double x)
        {
            int bits = BitsFor(0.5 * x * x);
            BigInteger x2 = Exact(x) * Exact(x);
            BigInteger term = Exact(x) << (bits - InputBits);
            BigInteger sum = term;
            for (int n = 1; !term.IsZero; n++)
            {
                term = ((term * x2) >> (2 * InputBits)) / (2 * n);
                BigInteger contribution = term / ((2 * n) + 1);
                sum += (n % 2 == 0) ? contribution : -contribution;
            }

            BigInteger sqrtTwoPi = Sqrt((Pi(bits) * 2) << bits);
            BigInteger result = (BigInteger.One << (bits - 1)) + ((sum << bits) / sqrtTwoPi);
            return ToDouble(result, bits);
        }

        /// <summary>φ(x) = exp(−x²/2)/√(2π), with exp from its Taylor series.</summary>
        public static double NormalPdf(double x)
        {
            int bits = BitsFor(0.5 * x * x);
            BigInteger sqrtTwoPi = Sqrt((Pi(bits) * 2) << bits);
            return ToDouble((ExpMinusSquareFixed(x, 2, bits) << bits) / sqrtTwoPi, bits);
        }

        /// <summary>exp(−x²), from its Taylor series.</summary>
        public static double ExpMinusSquare(double x)
        {
            int bits = BitsFor(x * x);
            return ToDouble(ExpMinusSquareFixed(x, 1, bits), bits);
        }

        /// <summary>exp(−x²/divisor)·2^bits.</summary>
        private static BigInteger ExpMinusSquareFixed(double x, int divisor, int bits)
        {
            BigInteger x2 = Exact(x) * Exact(x);
            BigInteger term = BigInteger.One << bits;
            BigInteger sum = term;
            for (int k = 1; !term.IsZero; k++)
            {
                // (x²/divisor)^k / k!: the divisor goes into the division so nothing is lost to a shift.
                term = ((term * x2) >> (2 * InputBits)) / (divisor * k);
                sum += (k % 2 == 0) ? term : -term;
            }

            return sum;
        }

        /// <summary>π·2^bits by Machin's formula π = 16·atan(1/5) − 4·atan(1/239).</summary>
        public static BigInteger Pi(int bits)
        {
            const int Guard = 32;
            BigInteger pi = (16 * AtanInverse(5, bits + Guard)) - (4 * AtanInverse(239, bits + Guard));
            return pi >> Guard;
        }

        /// <summary>Converts value/2^bits to the nearest double (one truncation to 62 bits, then one rounding).</summary>
        public static double ToDouble(BigInteger value, int bits)
        {
            if (value.IsZero)
            {
                return 0.0;
            }

            int sign = value.Sign;
            BigInteger magnitude = BigInteger.Abs(value);
            int length = (int)magnitude.GetBitLength();
            int shift = length - 62;
            double mantissa = shift > 0 ? (double)(magnitude >> shift) : (double)magnitude;
            return sign * Math.ScaleB(mantissa, Math.Max(shift, 0) - bits);
        }

        /// <summary>erf(x)·2^bits.</summary>
        private static BigInteger ErfFixed(double x, int bits)
        {
            BigInteger x2 = Exact(x) * Exact(x);
            BigInteger term = Exact(x) << (bits - InputBits);
            BigInteger sum = term;
            for (int n = 1; !term.IsZero; n++)
            {
                term = ((term * x2) >> (2 * InputBits)) / n;
                BigInteger contribution = term / ((2 * n) + 1);
                sum += (n % 2 == 0) ? contribution : -contribution;
            }

            BigInteger sqrtPi = Sqrt(Pi(bits) << bits);
            return (sum << (bits + 1)) / sqrtPi;
        }

        /// <summary>
        /// Working precision for a series whose largest term is about e^{exponent} while the result can be as small as
        /// e^{−exponent}: the terms' rounding errors are relative to the largest term, so 2·exponent·log₂e bits are consumed
        /// by cancellation; 160 more leave 100+ correct bits in the result.
        /// </summary>
        private static int BitsFor(double exponent) => 160 + (int)Math.Ceiling(2.0 * exponent * 1.4426950408889634);

        /// <summary>x·2^80 as an integer; exact for the arguments the tests use.</summary>
        private static BigInteger Exact(double x)
        {
            double scaled = Math.ScaleB(x, InputBits);
            if (Math.Abs(x) < Math.ScaleB(1.0, -28) && x != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(x), x, "Too small to be represented exactly with 80 fractional bits.");
            }

            return new BigInteger(scaled);
        }

        /// <summary>atan(1/n)·2^bits = Σ (−1)^k / ((2k+1)·n^{2k+1}).</summary>
        private static BigInteger AtanInverse(int n, int bits)
        {
            BigInteger power = (BigInteger.One << bits) / n;
            BigInteger sum = power;
            BigInteger n2 = n * n;
            for (int k = 1; !power.IsZero; k++)
            {
                power /= n2;
                BigInteger contribution = power / ((2 * k) + 1);
                sum += (k % 2 == 0) ? contribution : -contribution;
            }

            return sum;
        }

        /// <summary>⌊√n⌋ by Newton's iteration.</summary>
        private static BigInteger Sqrt(BigInteger n)
        {
            BigInteger x = BigInteger.One << (int)((n.GetBitLength() + 1) / 2);
            while (true)
            {
                BigInteger y = (x + (n / x)) >> 1;
                if (y >= x)
                {
                    return x;
                }

                x = y;
            }
        }
    }
}
