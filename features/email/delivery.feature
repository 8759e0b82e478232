@allure.label.epic:Email @fakes
Feature: Delivering the portal's email
  Every email the portal sends (sign-in links, share notifications, later digests) is written to
  its outbox together with the change that causes it, and a background worker hands it to the
  email provider. When the provider is down, slow or busy, the email waits and is tried again on
  a fixed schedule. When every attempt has failed, the email becomes a dead letter, which a
  studio admin can look into and send again.

  Background:
    Given Ada is signed in
    And Theo has an active portal account

  Rule: An email waits in the outbox until the provider accepts it, so nothing is lost

    @negative @allure.severity:critical
    Scenario: An email written while the provider is down goes out on the next attempt
      Given the email provider cannot be reached
      And Theo has asked for a sign-in link
      When the next delivery attempt falls due
      Then Theo receives a sign-in email

    @local @negative
    Scenario: An email written while the background worker is down goes out when it starts again
      Given the portal's background worker is down
      And Theo has asked for a sign-in link
      When the background worker starts again
      Then Theo receives a sign-in email

  Rule: Every attempt to deliver an email carries the same idempotency key, so a retry never sends it twice

    @negative @allure.severity:critical
    Scenario: The provider accepted an email but its answer was lost: the retry sends nothing new
      Given the email provider will accept the next email but its answer will be lost
      And Theo has asked for a sign-in link
      When the next delivery attempt falls due
      Then Theo receives exactly one sign-in email
      And the provider was asked twice for it, both times with the same idempotency key

  Rule: Failed attempts are retried after 1, 2, 4, 8 and 16 minutes, later if the provider asks; a rejected email is not retried

    @negative
    Scenario Outline: After <failures> failed attempts the next one waits <wait>
      Given the email provider has failed to deliver Theo's sign-in email <failures> times
      And the last attempt was <elapsed> ago
      When the portal works through its outbox
      Then <outcome>

      Examples: Due on schedule
        | failures | wait       | elapsed    | outcome                                          |
        | 1        | 1 minute   | 1 minute   | the provider is asked to deliver the email again |
        | 2        | 2 minutes  | 2 minutes  | the provider is asked to deliver the email again |
        | 3        | 4 minutes  | 4 minutes  | the provider is asked to deliver the email again |
        | 4        | 8 minutes  | 8 minutes  | the provider is asked to deliver the email again |
        | 5        | 16 minutes | 16 minutes | the provider is asked to deliver the email again |

      Examples: Not a moment before
        | failures | wait       | elapsed               | outcome                             |
        | 1        | 1 minute   | 50 seconds            | the provider is not asked again yet |
        | 2        | 2 minutes  | 1 minute 50 seconds   | the provider is not asked again yet |
        | 3        | 4 minutes  | 3 minutes 50 seconds  | the provider is not asked again yet |
        | 4        | 8 minutes  | 7 minutes 50 seconds  | the provider is not asked again yet |
        | 5        | 16 minutes | 15 minutes 50 seconds | the provider is not asked again yet |

    @negative
    Scenario Outline: A provider that asks for <asked> minutes of patience gets them: <elapsed> later, <outcome>
      Given the email provider turned Theo's sign-in email away as too busy, asking to wait <asked> minutes
      And the last attempt was <elapsed> ago
      When the portal works through its outbox
      Then <outcome>

      Examples:
        | asked | elapsed              | outcome                                          |
        | 5     | 4 minutes 50 seconds | the provider is not asked again yet              |
        | 5     | 5 minutes            | the provider is asked to deliver the email again |

    @negative
    Scenario: An email the provider rejects as invalid is not retried
      Given the email provider has rejected Theo's sign-in email as invalid
      And the last attempt was 60 minutes ago
      When the portal works through its outbox
      Then the provider is not asked again
      And Ada finds Theo's sign-in email among the dead letters, with the provider's reason

  Rule: After the sixth failed attempt an email becomes a dead letter, which admins see and can send again

    @negative @allure.severity:critical
    Scenario: After the sixth failed attempt the email becomes a dead letter
      Given the email provider has failed to deliver Theo's sign-in email 6 times
      And the last attempt was 60 minutes ago
      When the portal works through its outbox
      Then the provider is not asked again
      And Ada finds Theo's sign-in email among the dead letters, with the provider's last error

    Scenario: Ada sends a dead share notification again, and it arrives
      Given a share notification for Gina has become a dead letter
      When Ada sends it again
      Then Gina receives the share notification
      And Ada sees in the share notification's timeline that she sent it again

    @negative
    Scenario: A dead sign-in email is not sent again, because its one-time link is gone
      Given the email provider has failed to deliver Theo's sign-in email 6 times
      When Ada tries to send Theo's sign-in email again
      Then Ada is told it cannot be sent again, and that Theo should ask for a new link
      And Theo receives no email

    Scenario Outline: The dead letters say which can be sent again: <email> <can>
      Given <arrangement>
      When Ada looks at the dead letters
      Then Ada sees that it <can> be sent again

      Examples:
        | arrangement                                                           | email                     | can    |
        | a share notification for Gina has become a dead letter                | a dead share notification | can    |
        | the email provider has failed to deliver Theo's sign-in email 6 times | a dead sign-in email      | cannot |

    @negative @security
    Scenario Outline: <who> cannot see the dead letters
      Given a share notification for Gina has become a dead letter
      When <who> looks at the dead letters
      Then the portal answers <who> as if the dead letters did not exist

      Examples:
        | who     |
        | Theo    |
        | Mallory |

  Rule: Two workers never deliver the same email

    @local @concurrency @allure.severity:critical
    Scenario: Two workers sharing the outbox deliver each of 10 emails exactly once
      Given a second background worker shares the outbox
      And the email provider has stopped answering
      And both workers are busy delivering 10 share notifications for Gina
      When the email provider answers again
      Then each of the 10 share notifications reaches the provider exactly once

  Rule: Admins can follow every email: its status, its timeline, and each recipient's history

    Scenario: Ada reads the timeline of an email that went out on the second attempt
      Given the email provider cannot be reached
      And Theo's sign-in email went out on the second attempt
      When Ada opens Theo's sign-in email
      Then Ada sees it as "sent", with this timeline:
        | source | event          |
        | portal | queued         |
        | portal | attempt failed |
        | portal | accepted       |

    Scenario: Ada looks up the emails sent to Theo, newest first
      Given Theo has received 2 sign-in emails
      And Gina has received a share notification
      When Ada looks up the emails sent to Theo
      Then Ada sees Theo's 2 sign-in emails, newest first, and no one else's
