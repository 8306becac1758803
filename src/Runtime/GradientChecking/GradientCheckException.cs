using System;

namespace DiffGen
{
    /// <summary>
    /// Thrown by <see cref="GradientCheck"/>'s <c>Assert</c> methods when an analytic gradient disagrees with finite
    /// differences. The message contains the full comparison table.
    /// </summary>
    public sealed class GradientCheckException : Exception
    {
        /// <summary>Creates the exception with a default message.</summary>
        public GradientCheckException()
            : base("The analytic gradient does not match finite differences.")
        {
        }

        /// <summary>Creates the exception with a message.</summary>
        /// <param name="message">What went wrong.</param>
        public GradientCheckException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with a message and the exception that caused it.</summary>
        /// <param name="message">What went wrong.</param>
        /// <param name="innerException">The cause.</param>
        public GradientCheckException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        /// <summary>Creates the exception for a failed comparison.</summary>
        /// <param name="message">What went wrong, including the comparison table.</param>
        /// <param name="result">The comparison that failed.</param>
        public GradientCheckException(string message, GradientCheckResult result)
            : base(message)
        {
            Result = result;
        }

        /// <summary>The comparison that failed, when the exception came from a gradient check.</summary>
        public GradientCheckResult? Result { get; }
    }
}
