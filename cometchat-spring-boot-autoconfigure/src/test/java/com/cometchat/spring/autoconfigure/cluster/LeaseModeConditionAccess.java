package com.cometchat.spring.autoconfigure.cluster;

/**
 * {@link OnLeaseModeCondition}, for a test in another package.
 */
public class LeaseModeConditionAccess extends OnLeaseModeCondition {

}
