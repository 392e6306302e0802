/** Implementation of the shadow service: the document engine, its SQL store and the MQTT topic handler. */
package io.rampart.shadow.internal;
