using System;

namespace DiffGen
{
    /// <summary>
    /// Marks a static method of a <c>partial</c> type for compile-time automatic differentiation.
    /// The DiffGen source generator adds <c>{Name}Gradient</c> (value and all partial derivatives) and
    /// <c>{Name}Backward</c> (the pullback: accumulates <c>seed · ∂f/∂x</c> into <c>ref</c> adjoints) beside it.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    public sealed class DifferentiableAttribute : Attribute
    {
        /// <summary>Which derivative methods to generate. Reverse mode is the default.</summary>
        public DiffModes Modes { get; set; } = DiffModes.Reverse;
    }

    /// <summary>The kinds of derivative code the generator can emit for a method.</summary>
    [Flags]
    public enum DiffModes
    {
        /// <summary><c>{Name}Gradient</c> and <c>{Name}Backward</c> (reverse mode).</summary>
        Reverse = 1,

        /// <summary><c>{Name}Tangent</c> (forward mode, a directional derivative).</summary>
        Forward = 2,

        /// <summary>Second-order code: Hessian-vector products and, for scalar parameters, the full Hessian.</summary>
        Hessian = 4,

        /// <summary>
        /// <c>{Name}Jacobian</c> for a vector-valued method (one with an <see cref="OutputAttribute"/> span): the full
        /// Jacobian, by reverse sweeps (one per output) or forward sweeps (one per input), whichever are fewer.
        /// Implies <see cref="Reverse"/> and <see cref="Forward"/>, whose methods it is built from.
        /// </summary>
        Jacobian = 8,
    }
}
