package com.cometchat.spring.client;

import java.time.Instant;

/**
 * A message the broker accepted: with receipts on, it sent a {@code RECEIPT} for it.
 *
 * @param id the message id
 * @param receiverType whether it was sent to a user or a group
 * @param receiver the uid or guid
 * @param sentAt when it was sent
 * @author CometChat
 */
public record SentMessage(String id, ReceiverType receiverType, String receiver, Instant sentAt) {

}
