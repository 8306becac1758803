using System;

namespace DiffGen.Generator.Tests.Infrastructure
{
    /// <summary>
    /// A forward-mode dual number (value + derivative), written independently of DiffGen. Tests re-state a model's
    /// loop recurrence with it to get a hand-derived reference derivative (one pass per input direction) for code
    /// whose closed form would be a recurrence anyway (integrators, Newton iterations, loop-carried state). It
    /// shares no code with the generator, so agreement is evidence, not a tautology.
    /// </summary>
    public readonly struct Dual
    {
        public Dual(double value, double derivative = 0.0)
        {
            V = value;
            D = derivative;
        }

        public double V { get; }

        public double D { get; }

        public static Dual Var(double v) => new(v, 1.0);

        public static implicit operator Dual(double v) => new(v);

        public static Dual operator +(Dual a, Dual b) => new(a.V + b.V, a.D + b.D);

        public static Dual operator -(Dual a, Dual b) => new(a.V - b.V, a.D - b.D);

        public static Dual operator -(Dual a) => new(-a.V, -a.D);

        public static Dual operator *(Dual a, Dual b) => new(a.V * b.V, a.D * b.V + a.V * b.D);

        public static Dual operator /(Dual a, Dual b) => new(a.V / b.V, (a.D * b.V - a.V * b.D) / (b.V * b.V));

        public static Dual Sin(Dual a) => new(Math.Sin(a.V), Math.Cos(a.V) * a.D);

        public static Dual Cos(Dual a) => new(Math.Cos(a.V), -Math.Sin(a.V) * a.D);

        public static Dual Exp(Dual a)
        {
            double e = Math.Exp(a.V);
            return new(e, e * a.D);
        }

        public static Dual Log(Dual a) => new(Math.Log(a.V), a.D / a.V);

        public static Dual Sqrt(Dual a)
        {
            double s = Math.Sqrt(a.V);
            return new(s, 0.5 * a.D / s);
        }

        public static Dual Tanh(Dual a)
        {
            double t = Math.Tanh(a.V);
            return new(t, (1 - t * t) * a.D);
        }

        public static Dual Abs(Dual a) => a.V < 0 ? -a : a;

        public override string ToString() => $"{V} + {D}ε";
    }
}
