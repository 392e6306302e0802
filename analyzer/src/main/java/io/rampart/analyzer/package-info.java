/**
 * Automated reasoning over AWS IoT policies: every answer is a proof or a concrete counterexample request that the
 * policy engine confirms ({@link io.rampart.analyzer.PolicyAnalyzer}, {@link io.rampart.analyzer.Verdict}).
 */
package io.rampart.analyzer;
